// Calendar fields of a Unix timestamp and Nim's `times.format` patterns
// (what min's tformat accepts): runs of one pattern letter such as `yyyy`,
// `MMM` or `HH`, text in single quotes, and punctuation copied as is.
import { MinError } from '../core/errors.js';

export interface Fields {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  /** 0 = Monday .. 6 = Sunday, as Nim numbers them. */
  weekday: number;
  /** 0 = January 1st. */
  yearday: number;
  hour: number;
  minute: number;
  second: number;
  nanosecond: number;
  /** Seconds west of UTC (Nim's sign), DST included. */
  utcOffset: number;
  dst: boolean;
}

const DAY_MS = 86_400_000;

function dateAt(seconds: number): Date {
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) throw new MinError(`Timestamp out of range: ${seconds}`, 'MinInvalidError');
  return d;
}

const nanos = (seconds: number): number => Math.round((seconds - Math.floor(seconds)) * 1e9) % 1e9;

export function utcFields(seconds: number): Fields {
  const d = dateAt(seconds);
  const year = d.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: (d.getUTCDay() + 6) % 7,
    yearday: Math.floor((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - jan1) / DAY_MS),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    nanosecond: nanos(seconds),
    utcOffset: 0,
    dst: false,
  };
}

/** Fields in the local time zone (TZ), as min's timeinfo and tformat use. */
export function localFields(seconds: number): Fields {
  const d = dateAt(seconds);
  const year = d.getFullYear();
  const offset = d.getTimezoneOffset();
  const standard = Math.max(new Date(year, 0, 1).getTimezoneOffset(), new Date(year, 6, 1).getTimezoneOffset());
  return {
    year,
    month: d.getMonth() + 1,
    day: d.getDate(),
    weekday: (d.getDay() + 6) % 7,
    yearday: Math.floor((Date.UTC(year, d.getMonth(), d.getDate()) - Date.UTC(year, 0, 1)) / DAY_MS),
    hour: d.getHours(),
    minute: d.getMinutes(),
    second: d.getSeconds(),
    nanosecond: nanos(seconds),
    utcOffset: offset * 60,
    dst: offset < standard,
  };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const pad = (n: number, w: number): string => {
  const s = String(Math.abs(n)).padStart(w, '0');
  return n < 0 ? '-' + s : s;
};

/** ISO 8601 week number and week-based year. */
function isoWeek(f: Fields): { week: number; year: number } {
  // The Thursday of this week decides which year the week belongs to.
  const t = Date.UTC(f.year, f.month - 1, f.day) + (3 - f.weekday) * DAY_MS;
  const th = new Date(t);
  const year = th.getUTCFullYear();
  const week = Math.floor((t - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return { week, year };
}

/** `+05:00`-style offset; Nim's utcOffset is seconds west, so east is `+`. */
function offset(f: Fields, parts: 1 | 2 | 3, colon: boolean): string {
  const east = -f.utcOffset;
  const sign = east >= 0 ? '+' : '-';
  const a = Math.abs(east);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  const s = a % 60;
  if (parts === 1) return sign + h;
  const sep = colon ? ':' : '';
  const out = [pad(h, 2), pad(m, 2), pad(s, 2)].slice(0, parts);
  return sign + out.join(sep);
}

function token(tok: string, f: Fields): string | undefined {
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  switch (tok) {
    case 'd': return String(f.day);
    case 'dd': return pad(f.day, 2);
    case 'ddd': return DAYS[f.weekday]!.slice(0, 3);
    case 'dddd': return DAYS[f.weekday]!;
    case 'h': return String(h12);
    case 'hh': return pad(h12, 2);
    case 'H': return String(f.hour);
    case 'HH': return pad(f.hour, 2);
    case 'm': return String(f.minute);
    case 'mm': return pad(f.minute, 2);
    case 'M': return String(f.month);
    case 'MM': return pad(f.month, 2);
    case 'MMM': return MONTHS[f.month - 1]!.slice(0, 3);
    case 'MMMM': return MONTHS[f.month - 1]!;
    case 's': return String(f.second);
    case 'ss': return pad(f.second, 2);
    case 't': return f.hour < 12 ? 'A' : 'P';
    case 'tt': return f.hour < 12 ? 'AM' : 'PM';
    case 'yy': return pad(((f.year % 100) + 100) % 100, 2);
    case 'yyyy': {
      const y = f.year > 0 ? f.year : 1 - f.year;
      return y > 9999 ? '+' + y : pad(y, 4);
    }
    case 'YYYY': return String(f.year > 0 ? f.year : 1 - f.year);
    case 'uuuu': return f.year < 0 ? '-' + pad(-f.year, 4) : pad(f.year, 4);
    case 'UUUU': return String(f.year);
    case 'g': return f.year > 0 ? 'AD' : 'BC';
    case 'z': return offset(f, 1, false);
    case 'zz': return offset(f, 2, false).slice(0, 3);
    case 'zzz': return offset(f, 2, true);
    case 'zzzz': return offset(f, 3, true);
    case 'ZZZ': return offset(f, 2, false);
    case 'ZZZZ': return offset(f, 3, false);
    case 'fff': return pad(Math.floor(f.nanosecond / 1e6), 3);
    case 'ffffff': return pad(Math.floor(f.nanosecond / 1e3), 6);
    case 'fffffffff': return pad(f.nanosecond, 9);
    case 'V': return String(isoWeek(f).week);
    case 'VV': return pad(isoWeek(f).week, 2);
    case 'GG': return pad(isoWeek(f).year % 100, 2);
    case 'GGGG': return String(isoWeek(f).year);
  }
  return undefined;
}

const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

export function formatTime(f: Fields, pattern: string): string {
  let out = '';
  let k = 0;
  while (k < pattern.length) {
    const c = pattern[k]!;
    if (c === "'") {
      const end = pattern.indexOf("'", k + 1);
      if (end === k + 1) {
        out += "'";
        k += 2;
        continue;
      }
      if (end < 0) throw new MinError(`Unterminated quoted text in time format: ${pattern}`, 'MinInvalidError');
      out += pattern.slice(k + 1, end);
      k = end + 1;
      continue;
    }
    if (!isLetter(c)) {
      out += c;
      k++;
      continue;
    }
    let j = k + 1;
    while (pattern[j] === c) j++;
    const tok = pattern.slice(k, j);
    const s = token(tok, f);
    if (s === undefined) throw new MinError(`Invalid time format pattern: ${tok} (quote literal text with ')`, 'MinInvalidError');
    out += s;
    k = j;
  }
  return out;
}
