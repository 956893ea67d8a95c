/**
 * gobwas-style globs (what Centrifugo's `channels` method takes as `pattern`, PROTOCOL.md §10.2),
 * compiled to an anchored RegExp over the whole name. No separators: `*` and `**` match any run of
 * characters, `?` one character, `[abc]` / `[a-z]` / `[!abc]` one character of (or not of) a set,
 * `{a,b*}` one of the alternatives (nestable), `\x` the character x. Outside braces `,` and `}` are
 * plain characters, as is `]` outside a class.
 *
 * The RegExp never backtracks catastrophically: alternatives are expanded into star-separated
 * fixed-width segments and every middle segment is matched at its leftmost place only (an atomic
 * look-ahead), which is always the right place for a glob.
 */
import type { Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';

/** One fixed-width position (a regex fragment matching exactly one character) or a star. */
type Atom = string | typeof STAR;
type Node = Atom | { alternatives: Node[][] };

const STAR = Symbol('star');
/** Expanded alternatives allowed per pattern: `{a,b}{c,d}…` multiplies. */
const MAX_EXPANSIONS = 256;
const MAX_PATTERN_LENGTH = 1024;

/** Compiles a glob; an error names what is wrong with the pattern. */
export function compileGlob(pattern: string): Result<RegExp, string> {
  if (pattern.length > MAX_PATTERN_LENGTH) return err(`pattern longer than ${MAX_PATTERN_LENGTH} characters`);
  const parsed = new GlobParser(pattern).parseAll();
  if (!parsed.ok) return parsed;
  const expanded = expand(parsed.value);
  if (!expanded.ok) return expanded;
  const groups = { next: 1 };
  const branches = expanded.value.map((atoms) => compileFlat(atoms, groups));
  return ok(new RegExp(`^(?:${branches.join('|')})$`));
}

/** True when `name` matches the glob; an empty pattern matches every name. */
export function globMatcher(pattern: string): Result<(name: string) => boolean, string> {
  if (pattern === '') return ok(() => true);
  const compiled = compileGlob(pattern);
  if (!compiled.ok) return compiled;
  return ok((name) => compiled.value.test(name));
}

class GlobParser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parseAll(): Result<Node[], string> {
    const seq = this.parseSequence(false);
    if (!seq.ok) return seq;
    return ok(seq.value);
  }

  /** Reads nodes up to the end, or (inside braces) up to an unescaped `,` or `}`. */
  private parseSequence(inBraces: boolean): Result<Node[], string> {
    const nodes: Node[] = [];
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (inBraces && (ch === ',' || ch === '}')) break;
      const node = this.parseNode(ch);
      if (!node.ok) return node;
      nodes.push(node.value);
    }
    return ok(nodes);
  }

  private parseNode(ch: string): Result<Node, string> {
    this.pos++;
    switch (ch) {
      case '*':
        return ok(STAR);
      case '?':
        return ok('[\\s\\S]');
      case '[':
        return this.parseClass();
      case '{':
        return this.parseAlternatives();
      case '\\':
        return this.parseEscape();
      default:
        return ok(escapeChar(ch));
    }
  }

  private parseEscape(): Result<Node, string> {
    if (this.pos >= this.src.length) return err('pattern ends with an unfinished escape "\\"');
    return ok(escapeChar(this.src[this.pos++]));
  }

  private parseAlternatives(): Result<Node, string> {
    const start = this.pos - 1;
    const alternatives: Node[][] = [];
    for (;;) {
      const seq = this.parseSequence(true);
      if (!seq.ok) return seq;
      alternatives.push(seq.value);
      if (this.pos >= this.src.length) return err(`unclosed "{" at position ${start}`);
      if (this.src[this.pos++] === '}') return ok({ alternatives });
    }
  }

  /** `[` already read: `[!…]` negates; items are characters, `\x` escapes and `a-z` ranges. */
  private parseClass(): Result<Node, string> {
    const start = this.pos - 1;
    const negated = this.src[this.pos] === '!';
    if (negated) this.pos++;
    let body = '';
    for (;;) {
      if (this.pos >= this.src.length) return err(`unclosed "[" at position ${start}`);
      const item = this.classChar();
      if (item === ']') return ok(negated ? `[^${body}]` : `[${body}]`);
      if (item === null) return err(`unfinished escape in "[" at position ${start}`);
      const range = this.classRange(item, start);
      if (!range.ok) return range;
      body += range.value;
    }
  }

  /** The next class character: `]` (unescaped) closes, null for a dangling `\`. */
  private classChar(): string | null {
    const ch = this.src[this.pos++];
    if (ch !== '\\') return ch === ']' ? ']' : ch;
    if (this.pos >= this.src.length) return null;
    return `\\${this.src[this.pos++]}`;
  }

  private classRange(lo: string, start: number): Result<string, string> {
    const low = lo.startsWith('\\') ? lo.slice(1) : lo;
    if (this.src[this.pos] !== '-' || this.src[this.pos + 1] === ']' || this.pos + 1 >= this.src.length) {
      return ok(escapeClassChar(low));
    }
    this.pos++;
    const hi = this.classChar();
    if (hi === null) return err(`unfinished escape in "[" at position ${start}`);
    const high = hi.startsWith('\\') ? hi.slice(1) : hi;
    if (high < low) return err(`range "${low}-${high}" is out of order in "[" at position ${start}`);
    return ok(`${escapeClassChar(low)}-${escapeClassChar(high)}`);
  }
}

/** Every brace choice multiplied out into flat atom lists. */
function expand(nodes: Node[]): Result<Atom[][], string> {
  let acc: Atom[][] = [[]];
  for (const node of nodes) {
    if (typeof node === 'string' || node === STAR) {
      for (const atoms of acc) atoms.push(node);
      continue;
    }
    const options: Atom[][] = [];
    for (const alternative of node.alternatives) {
      const sub = expand(alternative);
      if (!sub.ok) return sub;
      options.push(...sub.value);
    }
    if (acc.length * options.length > MAX_EXPANSIONS) return err('pattern has too many alternatives');
    acc = acc.flatMap((prefix) => options.map((option) => [...prefix, ...option]));
  }
  return ok(acc);
}

/**
 * head * mid1 * mid2 * … * tail → head (?=([\s\S]*?mid1))\1 … [\s\S]*tail. Each middle segment is
 * taken at its leftmost match, atomically; only the last star backtracks (linear in the name).
 */
function compileFlat(atoms: Atom[], groups: { next: number }): string {
  const segments: string[][] = [[]];
  for (const atom of atoms) {
    if (atom !== STAR) segments[segments.length - 1].push(atom);
    else if (segments[segments.length - 1].length > 0 || segments.length === 1) segments.push([]);
  }
  if (segments.length === 1) return segments[0].join('');
  const head = segments[0].join('');
  const tail = segments[segments.length - 1].join('');
  const middles = segments.slice(1, -1).map((segment) => {
    const group = groups.next++;
    return `(?=([\\s\\S]*?${segment.join('')}))\\${group}`;
  });
  return `${head}${middles.join('')}[\\s\\S]*${tail}`;
}

function escapeChar(ch: string): string {
  return ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function escapeClassChar(ch: string): string {
  return ch.replace(/[\\\]^[-]/g, '\\$&');
}
