/**
 * The inspector's filter: plain text (found anywhere in the payload, publisher or offset, any case)
 * or a JSON path expression when the input starts with `$`:
 *
 *   $.user.name == "ann"     $.n > 5     $.tags[0] exists     $["odd key"] != null     $.text contains "hi"
 *
 * A path is `$` then `.name`, `[index]` or `["key"]` steps. It is followed by `exists` (or nothing,
 * which means the same), or by an operator (==, !=, >, >=, <, <=, contains) and a JSON value:
 * a "quoted string", a number, true, false or null. Pure: parsing answers a clear error.
 */
import type { Result } from '../../../../../shared/result.js';
import { err, ok } from '../../../../../shared/result.js';

/** What a row offers to the filter: its data, and its text (payload JSON, publisher, offset). */
export interface FilterableRow {
  data: unknown;
  text: string;
}

export type RowFilter = (row: FilterableRow) => boolean;

type Step = string | number;
const OPERATORS = ['==', '!=', '>=', '<=', '>', '<', 'contains', 'exists'] as const;
type Operator = (typeof OPERATORS)[number];
const NAME = /^[A-Za-z_$][\w$-]*/;
const MISSING = Symbol('missing');

/** The filter of an input; the empty input lets every row through. */
export function parseRowFilter(input: string): Result<RowFilter, string> {
  const text = input.trim();
  if (text === '') return ok(() => true);
  if (!text.startsWith('$')) {
    const needle = text.toLowerCase();
    return ok((row) => row.text.toLowerCase().includes(needle));
  }
  const path = readPath(text);
  if (!path.ok) return path;
  const rest = text.slice(path.value.end).trim();
  if (rest === '' || rest === 'exists') return ok((row) => at(row.data, path.value.steps) !== MISSING);
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (!op || op === 'exists') return err(`unknown operator at "${rest.slice(0, 12)}": use ==, !=, >, >=, <, <=, contains or exists`);
  const value = readValue(op, rest.slice(op.length).trim());
  if (!value.ok) return value;
  const steps = path.value.steps;
  return ok((row) => compare(at(row.data, steps), op, value.value));
}

function readPath(text: string): Result<{ steps: Step[]; end: number }, string> {
  const steps: Step[] = [];
  let i = 1;
  while (i < text.length && (text[i] === '.' || text[i] === '[')) {
    if (text[i] === '.') {
      const name = NAME.exec(text.slice(i + 1));
      if (!name) return err(`expected a name after "." at position ${i + 1} (use ["key"] for other keys)`);
      steps.push(name[0]);
      i += 1 + name[0].length;
      continue;
    }
    const close = readBracket(text, i);
    if (!close.ok) return close;
    steps.push(close.value.step);
    i = close.value.end;
  }
  return ok({ steps, end: i });
}

function readBracket(text: string, open: number): Result<{ step: Step; end: number }, string> {
  const index = /^\[(\d+)\]/.exec(text.slice(open));
  if (index) return ok({ step: Number(index[1]), end: open + index[0].length });
  const key = /^\["((?:[^"\\]|\\.)*)"\]/.exec(text.slice(open));
  if (key) {
    try {
      return ok({ step: JSON.parse(`"${key[1]}"`) as string, end: open + key[0].length });
    } catch {
      // falls through to the error below
    }
  }
  return err(`expected [index] or ["key"] at position ${open + 1}`);
}

function readValue(op: Operator, text: string): Result<unknown, string> {
  const hint = `a "quoted string", a number, true, false or null`;
  if (text === '') return err(`expected a value after ${op}: ${hint}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err(`the value after ${op} is not JSON: ${hint}${/^[A-Za-z]/.test(text) ? ` (text goes in double quotes: "${text}")` : ''}`);
  }
  if (typeof value === 'object' && value !== null) return err(`the value after ${op} must be ${hint}, not an object or array`);
  if (['>', '>=', '<', '<='].includes(op) && typeof value !== 'number') return err(`${op} compares numbers: give a number after it`);
  if (op === 'contains' && typeof value !== 'string') return err('contains looks for text: give a "quoted string" after it');
  return ok(value);
}

function at(data: unknown, steps: Step[]): unknown {
  let here: unknown = data;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(here) || step >= here.length) return MISSING;
      here = here[step];
    } else {
      if (typeof here !== 'object' || here === null || Array.isArray(here) || !Object.hasOwn(here, step)) return MISSING;
      here = (here as Record<string, unknown>)[step];
    }
  }
  return here;
}

function compare(found: unknown, op: Operator, value: unknown): boolean {
  if (found === MISSING) return false;
  switch (op) {
    case '==': return found === value;
    case '!=': return found !== value;
    case '>': return typeof found === 'number' && found > (value as number);
    case '>=': return typeof found === 'number' && found >= (value as number);
    case '<': return typeof found === 'number' && found < (value as number);
    case '<=': return typeof found === 'number' && found <= (value as number);
    case 'contains': return typeof found === 'string' && found.toLowerCase().includes((value as string).toLowerCase());
    case 'exists': return true;
  }
}
