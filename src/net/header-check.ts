// What HTTP can carry in a header, checked before Node sees it, so that a bad
// header is refused with a message naming it (Node's own errors name neither
// the header nor the character). A name is a token; a value is Latin-1 text
// (tab, printable ASCII, \x80-\xFF) without control characters or line breaks,
// which would end the header and let a value forge headers of its own.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const OUTSIDE_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

const codePoint = (c: number): string => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

function describeChar(text: string, at: number): string {
  const c = text.codePointAt(at)!;
  if (c === 0x0a) return 'a line feed';
  if (c === 0x0d) return 'a carriage return';
  if (c < 0x20 || c === 0x7f) return `a control character (${codePoint(c)})`;
  return `${String.fromCodePoint(c)} (${codePoint(c)})`;
}

/**
 * Why header `name: value` cannot be sent, or null when it can; `owner`
 * ("response", "request"...) says whose header it is, when that helps.
 */
export function headerProblem(name: string, value: string, owner = ''): string | null {
  const which = owner ? `${owner} header` : 'header';
  if (!TOKEN.test(name)) {
    return `Invalid ${which} name ${JSON.stringify(name)}: a header name is letters, digits and !#$%&'*+-.^_\`|~`;
  }
  const bad = OUTSIDE_VALUE.exec(value);
  if (bad) {
    return `Invalid value for ${which} ${name}: it holds ${describeChar(value, bad.index)}, and a header value can only be Latin-1 text without control characters or line breaks`;
  }
  return null;
}
