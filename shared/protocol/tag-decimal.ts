/**
 * The decimal numbers of the tags filter's numeric comparisons (gt, gte, lt, lte), parsed as
 * Centrifugo parses them with quagmt/udecimal `Parse`: an optional sign, digits, and optionally a
 * point followed by 1 to 19 digits — no exponent, no leading or trailing point, at most 200
 * characters. Compared exactly, as decimals (not as floating point).
 */

/** A parsed decimal: sign, integer digits without leading zeros, fraction digits without trailing zeros. */
export interface TagDecimal {
  readonly neg: boolean;
  readonly int: string;
  readonly frac: string;
}

/** udecimal's longest accepted input, in characters. */
const MAX_LENGTH = 200;
const DECIMAL = /^([+-]?)([0-9]+)(?:\.([0-9]{1,19}))?$/;

/** The decimal `s` stands for, or null when udecimal would refuse it. */
export function parseTagDecimal(s: string): TagDecimal | null {
  if (s.length > MAX_LENGTH) return null;
  const m = DECIMAL.exec(s);
  if (m === null) return null;
  const int = m[2].replace(/^0+/, '');
  const frac = (m[3] ?? '').replace(/0+$/, '');
  // Zero has no sign: "-0" equals "0", as in udecimal.
  return { neg: m[1] === '-' && (int !== '' || frac !== ''), int, frac };
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareTagDecimals(a: TagDecimal, b: TagDecimal): number {
  if (a.neg !== b.neg) return a.neg ? -1 : 1;
  const magnitude = compareMagnitudes(a, b);
  return a.neg ? -magnitude : magnitude;
}

function compareMagnitudes(a: TagDecimal, b: TagDecimal): number {
  if (a.int.length !== b.int.length) return a.int.length < b.int.length ? -1 : 1;
  if (a.int !== b.int) return a.int < b.int ? -1 : 1;
  // Without trailing zeros, fraction digits compare as strings ("05" < "5" < "51").
  if (a.frac === b.frac) return 0;
  return a.frac < b.frac ? -1 : 1;
}
