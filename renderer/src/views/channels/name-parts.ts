/**
 * A channel name cut in three for a middle ellipsis in a narrow column: the namespace stays at the
 * start and the name's end stays at the end, and only the middle is elided when space runs out
 * (pure, tested without React).
 */

/** The parts of a name; joined, they give the name back. */
export interface NameParts {
  /** The namespace with its boundary ("chat:"), '' for a channel without one. */
  head: string;
  /** What may be elided. */
  middle: string;
  /** The end that stays visible, '' when the name is short enough to need none. */
  tail: string;
}

/** The end kept is a whole segment of this many characters when one ends there, else the last TAIL_PLAIN. */
const TAIL_MIN = 8;
const TAIL_MAX = 16;
const TAIL_PLAIN = 10;
const SEPARATOR = /[-_.:/#,]/;

/** Cuts `name` after its namespace (up to the first `boundary`) and before its end; short names keep a whole middle and no end. */
export function nameParts(name: string, boundary = ':'): NameParts {
  const cut = name.indexOf(boundary);
  const head = cut > 0 ? name.slice(0, cut + boundary.length) : '';
  const rest = name.slice(head.length);
  if (rest.length <= TAIL_MAX + 4) return { head, middle: rest, tail: '' };
  const tail = tailOf(rest);
  return { head, middle: rest.slice(0, rest.length - tail.length), tail };
}

/** The name's end: from just after a separator when one falls in range ("region-2026"), else its last characters. */
function tailOf(s: string): string {
  for (let len = TAIL_MIN; len <= TAIL_MAX; len++) {
    if (SEPARATOR.test(s.charAt(s.length - len - 1))) return s.slice(-len);
  }
  return s.slice(-TAIL_PLAIN);
}
