// The option keys of a socket dict (nodelay, keepalive, ttl, broadcast,
// multicast-ttl, multicast-loop) read into the ConnOptions net applies. Read
// each time an operator runs on the socket, so the common case, a dict with
// none of them, costs six lookups and no allocation.
import { storedValue } from '../../core/dict.js';
import { show } from '../../core/printer.js';
import type { Dict } from '../../core/values.js';
import { OPTION_KEYS, setOption, type ConnOptions, type OptionKey } from '../../net/conn-options.js';

const KEYS = Object.keys(OPTION_KEYS) as OptionKey[];
const NONE: ConnOptions = Object.freeze({});

export function optionsOf(d: Dict): ConnOptions {
  let o: ConnOptions | null = null;
  for (const k of KEYS) {
    const v = storedValue(d, k);
    if (v === undefined || v === null) continue;
    setOption((o ??= {}), k, v, show(v));
  }
  return o ?? NONE;
}
