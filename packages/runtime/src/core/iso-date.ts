/**
 * `date.toISOString()` for the dates programs pass around, without the engine's formatter: V8's
 * takes ~0.5 µs a call, and a recorded object tree holding dates (rows from a database, a
 * recursive walk over a document) formats each date again in every span that records it. Years
 * 1970–9999 only (four-digit years, no sign); anything else, and an invalid date, goes through the
 * engine's own method (captured at load, like every built-in the tracer calls).
 */
import { flattened } from '../platform/flat-string.js';

const dateGetTime = Date.prototype.getTime;
const dateToISOString = Date.prototype.toISOString;

const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00.000Z */
const YEAR_10000 = 253_402_300_800_000;

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function three(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`;
}

/**
 * The texts of the last dates formatted, by time value (a slot found without hashing): the same
 * dates are recorded again and again (the rows a query returned, in every span they pass through;
 * timestamps taken in a loop, most in the same millisecond).
 */
const CACHE_SLOTS = 64;
const cachedTimes = new Float64Array(CACHE_SLOTS).fill(NaN);
const cachedTexts: string[] = new Array<string>(CACHE_SLOTS).fill('');

/** The date's ISO text, or 'Invalid Date'. Throws (like getTime) for an object that is not a real Date. */
export function isoDate(date: Date): string {
  const t = dateGetTime.call(date);
  if (!(t >= 0 && t < YEAR_10000)) return t === t ? dateToISOString.call(date) : 'Invalid Date';
  const slot = t % CACHE_SLOTS;
  if (cachedTimes[slot] === t) return cachedTexts[slot]!;
  // Flat once, rather than a tree of the pieces in every record that holds it.
  const text = flattened(formatted(t));
  cachedTimes[slot] = t;
  cachedTexts[slot] = text;
  return text;
}

/** A time value in [0, YEAR_10000) as ISO text. */
function formatted(t: number): string {
  const days = Math.floor(t / DAY_MS);
  let ms = t - days * DAY_MS;
  const hours = Math.floor(ms / 3_600_000);
  ms -= hours * 3_600_000;
  const minutes = Math.floor(ms / 60_000);
  ms -= minutes * 60_000;
  const seconds = Math.floor(ms / 1_000);
  ms -= seconds * 1_000;
  // Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days, with
  // eras of 400 years starting on March 1st so that the leap day ends the year).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}.${three(ms)}Z`;
}
