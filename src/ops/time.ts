// The time module. Like min, timeinfo and tformat work in the local time zone
// (the TZ environment variable) while datetime is always UTC.
import { op, type ModuleDef } from '../core/registry.js';
import { MinError, TypeMismatch } from '../core/errors.js';
import { Dict, Flt, strOf, typeName, type Value } from '../core/values.js';
import { showShort } from '../core/printer.js';
import { formatTime, localFields, utcFields } from '../lib/timefmt.js';
import { makeDict, storedValue } from '../core/dict.js';

/**
 * Seconds of a timestamp operand; floats keep their fraction for sub-second
 * patterns. Where whole seconds are needed they are truncated toward zero, as
 * min converts a float timestamp with Nim's int64().
 */
const secondsOf = (v: Value): number => (typeof v === 'number' ? v : (v as Flt).v);

function checked(v: Value): number {
  const s = secondsOf(v);
  if (!Number.isFinite(s)) throw new MinError(`Invalid timestamp: ${showShort(v)}`, 'MinInvalidError');
  return s;
}

function timeinfo(seconds: number): Dict {
  const f = localFields(Math.trunc(seconds));
  return makeDict(
    [
      ['year', f.year],
      ['month', f.month],
      ['day', f.day],
      // min numbers weekdays from Monday = 1 to Sunday = 7.
      ['weekday', f.weekday + 1],
      ['yearday', f.yearday],
      ['hour', f.hour],
      ['minute', f.minute],
      ['second', f.second],
      ['dst', f.dst],
      ['timezone', f.utcOffset],
    ],
    'timeinfo',
  );
}

const BAD_INFO = 'An invalid timeinfo dictionary was provided';

/** An int field of a timeinfo dict within [lo, hi]. */
function field(d: Dict, k: string, lo: number, hi: number): number {
  const v = storedValue(d, k);
  if (v === undefined) throw new MinError(`${BAD_INFO} (${k} is missing)`, 'MinInvalidError');
  if (typeof v !== 'number' || v < lo || v > hi) throw new MinError(`${BAD_INFO} (${k} must be an int from ${lo} to ${hi})`, 'MinInvalidError');
  return v;
}

/** The timestamp of the fields of d, read as UTC and shifted by its timezone (seconds west). */
function toTimestamp(d: Dict): number {
  const year = field(d, 'year', -271820, 275759);
  const month = field(d, 'month', 1, 12);
  const last = new Date(Date.UTC(2000, month, 0)).getUTCDate();
  const day = field(d, 'day', 1, month === 2 && !isLeap(year) ? 28 : last);
  const hour = field(d, 'hour', 0, 23);
  const minute = field(d, 'minute', 0, 59);
  const second = field(d, 'second', 0, 60);
  const zone = d.scope.get('timezone') ? field(d, 'timezone', -86400, 86400) : 0;
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day);
  t.setUTCHours(hour, minute, second, 0);
  return t.getTime() / 1000 + zone;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export const timeModule: ModuleDef = {
  name: 'time',
  ops: [
    op('now', '==> flt', 'The current Unix time in seconds, with a fractional part.', () => new Flt(Date.now() / 1000)),
    op('timestamp', '==> int', 'The current Unix time in whole seconds.', () => Math.floor(Date.now() / 1000)),
    op('timeinfo', 'num ==> dict:timeinfo', 'The calendar fields of timestamp num in local time: year, month, day, weekday, yearday, hour, minute, second, dst, timezone.', (_i, t: Value) =>
      timeinfo(checked(t)),
    ),
    // Native checks the dict's type only under -d, so without it a plain dict with the fields works too.
    op('to-timestamp', 'dict ==> int', 'The Unix timestamp of a timeinfo dict (outside development mode, of any dict with its fields).', (i, d: Dict) => {
      if (i.rt.dev && d.type !== 'timeinfo') throw new TypeMismatch(['dict:timeinfo'], 0, typeName(d), 'to-timestamp');
      return toTimestamp(d);
    }),
    op('datetime', 'num ==> str', 'Timestamp num as an ISO 8601 date and time in UTC, e.g. 2001-02-03T04:05:06Z.', (_i, t: Value) =>
      formatTime(utcFields(Math.trunc(checked(t))), "yyyy-MM-dd'T'HH:mm:ss'Z'"),
    ),
    op('tformat', "num 'sym ==> str", 'Formats timestamp num in local time with a Nim times pattern such as "yyyy-MM-dd HH:mm:ss".', (_i, t: Value, p: Value) =>
      formatTime(localFields(checked(t)), strOf(p)),
    ),
  ],
};
