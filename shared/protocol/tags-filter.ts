/**
 * Subscription tags filters (Centrifugo v6): the `tf` a client may send in subscribe where the
 * namespace sets `allow_tags_filter`, checked once at subscribe time and then evaluated against the
 * `tags` of each publication of the channel. Validation and evaluation follow centrifugal/centrifuge
 * `internal/filter/filter.go` (`Validate`, `Match`); the wire shape is centrifugal/protocol's
 * `FilterNode` (definitions/client.proto). A filter is for bandwidth, never for access control.
 */
import type { Result } from '../result.js';
import { assertNever, err, ok } from '../result.js';
import type { TagDecimal } from './tag-decimal.js';
import { compareTagDecimals, parseTagDecimal } from './tag-decimal.js';

/** One node of a tags filter, as the client sends it (centrifuge-js `FilterNode`). */
export interface FilterNode {
  /** "" or absent: a leaf (one comparison); "and" / "or": over every child; "not": of its one child. */
  op?: string;
  /** The tag a leaf compares; may be empty only for `ex` / `nex`. */
  key?: string;
  /** A leaf's comparison, one of FILTER_COMPARES. */
  cmp?: string;
  /** The operand of every comparison but `in`, `nin`, `ex` and `nex`; required (non-empty) there. */
  val?: string;
  /** The non-empty operand list of `in` and `nin`. */
  vals?: string[];
  /** The children of a logical node (a leaf's are ignored, as in Centrifugo). */
  nodes?: FilterNode[];
}

/** What a leaf's comparison takes: `val`, `vals`, or neither. */
const OPERAND = {
  eq: 'val', neq: 'val', in: 'vals', nin: 'vals', ex: 'none', nex: 'none',
  sw: 'val', ew: 'val', ct: 'val', gt: 'val', gte: 'val', lt: 'val', lte: 'val',
} as const;

/** Leaf comparisons: equality, set membership, existence, starts/ends with, contains, numeric order. */
export type FilterCompare = keyof typeof OPERAND;
export const FILTER_COMPARES = Object.keys(OPERAND) as FilterCompare[];

/**
 * Our limits (Centrifugo has none but the message size): evaluation is recursive and runs for every
 * publication and filtered subscriber, so a filter may nest at most 16 levels and hold at most 256
 * nodes (every object in the tree counts, ignored ones included).
 */
export const TAGS_FILTER_LIMITS = { maxDepth: 16, maxNodes: 256 } as const;

/** A filter that passed validation, ready to evaluate. */
export type TagsFilter =
  | { readonly op: 'and' | 'or'; readonly nodes: readonly TagsFilter[] }
  | { readonly op: 'not'; readonly node: TagsFilter }
  | LeafFilter;

export interface LeafFilter {
  readonly op: 'leaf';
  readonly cmp: FilterCompare;
  readonly key: string;
  readonly val: string;
  readonly vals: readonly string[];
  /** For gt / gte / lt / lte: `val` as a decimal, null when it is none (such a leaf never matches). */
  readonly num: TagDecimal | null;
}

/** Why a `tf` was refused. */
export interface TagsFilterProblem {
  /**
   * A field has the wrong JSON type (`"val": 5`, `"nodes": {}`): Centrifugo's decoder refuses the
   * whole command, which closes the connection (3501). Otherwise the filter is refused with 107.
   */
  malformed: boolean;
  /** What is wrong, naming the node ("tf.nodes[1]: unknown cmp \"foo\""). */
  reason: string;
}

type Raw = Record<string, unknown>;

const isRaw = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const malformed = (reason: string): TagsFilterProblem => ({ malformed: true, reason });
const invalid = (reason: string): Result<never, TagsFilterProblem> => err({ malformed: false, reason });

/**
 * A client's `tf` → the filter it stands for, null when there is none (absent or JSON null, as
 * Centrifugo reads a null message field), or why it is refused.
 */
export function parseTagsFilter(value: unknown): Result<TagsFilter | null, TagsFilterProblem> {
  if (value === undefined || value === null) return ok(null);
  const problem = shapeProblem(value, 'tf', 1, { nodes: 0 });
  if (problem !== null) return err(problem);
  return compile(value as Raw, 'tf');
}

/** True when a publication with `tags` passes the filter (Centrifugo's `filter.Match`). */
export function matches(filter: TagsFilter, tags: Readonly<Record<string, string>> | undefined): boolean {
  switch (filter.op) {
    case 'and':
      for (const node of filter.nodes) if (!matches(node, tags)) return false;
      return true;
    case 'or':
      for (const node of filter.nodes) if (matches(node, tags)) return true;
      return false;
    case 'not':
      return !matches(filter.node, tags);
    case 'leaf':
      return leafMatches(filter, tags);
    default:
      return assertNever(filter);
  }
}

function leafMatches(f: LeafFilter, tags: Readonly<Record<string, string>> | undefined): boolean {
  const found = tags !== undefined && Object.hasOwn(tags, f.key) ? tags[f.key] : undefined;
  const has = found !== undefined;
  // A missing tag reads as "" (Go's map lookup): `in` matches it when `vals` holds "".
  const value = found ?? '';
  switch (f.cmp) {
    case 'eq': return has && value === f.val;
    case 'neq': return !has || value !== f.val;
    case 'in': return f.vals.includes(value);
    case 'nin': return !f.vals.includes(value);
    case 'ex': return has;
    case 'nex': return !has;
    case 'sw': return has && value.startsWith(f.val);
    case 'ew': return has && value.endsWith(f.val);
    case 'ct': return has && value.includes(f.val);
    case 'gt': case 'gte': case 'lt': case 'lte': return has && numericMatches(f, value);
    default: return assertNever(f.cmp);
  }
}

/** A tag or operand that is not a decimal makes the comparison false, never an error. */
function numericMatches(f: LeafFilter, value: string): boolean {
  if (f.num === null) return false;
  const tag = parseTagDecimal(value);
  if (tag === null) return false;
  const c = compareTagDecimals(tag, f.num);
  if (f.cmp === 'gt') return c > 0;
  if (f.cmp === 'gte') return c >= 0;
  if (f.cmp === 'lt') return c < 0;
  return c <= 0;
}

/**
 * The JSON types of every node in the tree, as Centrifugo's decoder checks them before anything
 * else (a leaf's ignored children too), within our limits. A null child passes here; compile refuses it.
 */
function shapeProblem(node: unknown, path: string, depth: number, seen: { nodes: number }): TagsFilterProblem | null {
  if (node === null) return null;
  if (!isRaw(node)) return malformed(`${path} must be an object`);
  if (depth > TAGS_FILTER_LIMITS.maxDepth) return { malformed: false, reason: `tf is nested deeper than ${TAGS_FILTER_LIMITS.maxDepth} levels` };
  if (++seen.nodes > TAGS_FILTER_LIMITS.maxNodes) return { malformed: false, reason: `tf has more than ${TAGS_FILTER_LIMITS.maxNodes} nodes` };
  for (const field of ['op', 'key', 'cmp', 'val']) {
    const v = node[field];
    if (v !== undefined && v !== null && typeof v !== 'string') return malformed(`${path}.${field} must be a string`);
  }
  const vals = node.vals;
  if (vals !== undefined && vals !== null && (!Array.isArray(vals) || !vals.every((v) => typeof v === 'string'))) {
    return malformed(`${path}.vals must be an array of strings`);
  }
  const nodes = node.nodes;
  if (nodes === undefined || nodes === null) return null;
  if (!Array.isArray(nodes)) return malformed(`${path}.nodes must be an array`);
  for (let i = 0; i < nodes.length; i++) {
    const problem = shapeProblem(nodes[i], `${path}.nodes[${i}]`, depth + 1, seen);
    if (problem !== null) return problem;
  }
  return null;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const children = (node: Raw): (Raw | null)[] => (Array.isArray(node.nodes) ? (node.nodes as (Raw | null)[]) : []);

/** Centrifugo's `Validate` on a well-typed tree, building the filter on the way. */
function compile(node: Raw | null, path: string): Result<TagsFilter, TagsFilterProblem> {
  if (node === null) return invalid(`${path} must not be null`);
  const op = text(node.op);
  if (op === '') return compileLeaf(node, path);
  if (op !== 'and' && op !== 'or' && op !== 'not') return invalid(`${path}: unknown op ${JSON.stringify(op)}`);
  const raw = children(node);
  if (op === 'not') {
    if (raw.length !== 1) return invalid(`${path}: a not node must have exactly one child`);
    const child = compile(raw[0], `${path}.nodes[0]`);
    return child.ok ? ok({ op, node: child.value }) : child;
  }
  if (raw.length === 0) return invalid(`${path}: an ${op} node must have at least one child`);
  const nodes: TagsFilter[] = [];
  for (let i = 0; i < raw.length; i++) {
    const child = compile(raw[i], `${path}.nodes[${i}]`);
    if (!child.ok) return child;
    nodes.push(child.value);
  }
  return ok({ op, nodes });
}

function compileLeaf(node: Raw, path: string): Result<TagsFilter, TagsFilterProblem> {
  const cmp = text(node.cmp);
  const key = text(node.key);
  const val = text(node.val);
  const vals = Array.isArray(node.vals) ? (node.vals as string[]) : [];
  if (cmp === '') return invalid(`${path}: a leaf node must have cmp set`);
  if (!Object.hasOwn(OPERAND, cmp)) return invalid(`${path}: unknown cmp ${JSON.stringify(cmp)}`);
  const compare = cmp as FilterCompare;
  const operand = OPERAND[compare];
  if (operand === 'val' && val === '') return invalid(`${path}: ${cmp} requires val`);
  if (operand === 'val' && vals.length > 0) return invalid(`${path}: ${cmp} must not use vals`);
  if (operand === 'vals' && vals.length === 0) return invalid(`${path}: ${cmp} requires non-empty vals`);
  if (operand === 'vals' && val !== '') return invalid(`${path}: ${cmp} must not use val`);
  if (operand === 'none' && (val !== '' || vals.length > 0)) return invalid(`${path}: ${cmp} must not use val or vals`);
  if (key === '' && operand !== 'none') return invalid(`${path}: a leaf node requires key`);
  const numeric = compare === 'gt' || compare === 'gte' || compare === 'lt' || compare === 'lte';
  return ok({ op: 'leaf', cmp: compare, key, val, vals: [...vals], num: numeric ? parseTagDecimal(val) : null });
}
