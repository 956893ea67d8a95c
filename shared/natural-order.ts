/**
 * Natural order of names with numbers in them (`sim-2` before `sim-10`), for channel lists: the
 * admin API sorts channel pages by it and the console sorts what it lists by it, so both agree and
 * paging neither repeats nor skips a channel. Where both names have a run of digits at the same
 * place, the runs compare by value; everything else compares by UTF-16 code units, as before
 * (deterministic, no locale, `B` before `a`). A total order: names equal by value (`a01`, `a1`)
 * fall back to code units, so only identical names compare as 0.
 */

/** Negative when `a` comes first, positive when `b` does, 0 only when they are the same string. */
export function compareNatural(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (isDigit(a, i) && isDigit(b, j)) {
      const p = digitsFrom(a, i);
      const q = digitsFrom(b, j);
      const order = compareDigits(a.slice(i, p), b.slice(j, q));
      if (order !== 0) return order;
      i = p;
      j = q;
      continue;
    }
    const order = a.charCodeAt(i) - b.charCodeAt(j);
    if (order !== 0) return order;
    i++;
    j++;
  }
  if (i < a.length || j < b.length) return i < a.length ? 1 : -1;
  return a < b ? -1 : 1; // equal by value, different digits (leading zeros)
}

function isDigit(s: string, at: number): boolean {
  const c = s.charCodeAt(at);
  return c >= 48 && c <= 57;
}

/** The index just past the run of digits that starts at `at`. */
function digitsFrom(s: string, at: number): number {
  let end = at;
  while (end < s.length && isDigit(s, end)) end++;
  return end;
}

/** Two runs of digits by value, of any length (no conversion to a number). */
function compareDigits(p: string, q: string): number {
  const u = p.replace(/^0+(?=\d)/, '');
  const v = q.replace(/^0+(?=\d)/, '');
  if (u.length !== v.length) return u.length - v.length;
  return u < v ? -1 : u > v ? 1 : 0;
}
