/**
 * The budget and seed of a fuzz target (docs/security.md, "Fuzzing"). `npm test` runs a fixed,
 * seeded number of cases; `FUZZ_RUNS` raises it (the long run), `FUZZ_SEED` and `FUZZ_PATH` replay
 * a failure exactly as fast-check printed it ("seed: …, path: …").
 */
import fc from 'fast-check';

/** Fixed default seed: every `npm test` run walks the same cases. */
const DEFAULT_SEED = 20261205;

/**
 * Runs `property` with the target's budget; a failure throws a short error naming the seed and path
 * that replay it (FUZZ_SEED, FUZZ_PATH), the cause, and the start of the counterexample.
 */
export async function fuzz<T>(target: string, defaultRuns: number, property: fc.IAsyncPropertyWithHooks<T>, note = ''): Promise<number> {
  const params = fuzzParameters(target, defaultRuns, note) as fc.Parameters<T>;
  const details = await fc.check(property, params);
  if (!details.failed) return details.numRuns;
  const example = JSON.stringify(details.counterexample, (_k, v: unknown) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…(${v.length})` : v));
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(
    `fuzz ${target} failed after ${details.numRuns} cases; replay with FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath ?? ''}\n`
    + `cause: ${cause}\ncounterexample: ${example.slice(0, 3000)}`,
    { cause: details.errorInstance },
  );
}

/** fast-check parameters for one target; `defaultRuns` is its share of the `npm test` budget. */
export function fuzzParameters(target: string, defaultRuns: number, note = ''): fc.Parameters<unknown> {
  const runs = positiveInt(process.env.FUZZ_RUNS) ?? defaultRuns;
  const seed = integer(process.env.FUZZ_SEED) ?? DEFAULT_SEED;
  const path = process.env.FUZZ_PATH;
  process.stdout.write(`# fuzz ${target}: ${runs} runs${note ? ` (${note})` : ''}, seed ${seed}${path ? `, path ${path}` : ''}\n`);
  return {
    seed,
    numRuns: runs,
    ...(path ? { path } : {}),
    // Each case costs network round trips: report the first failure (seed and path replay it) unshrunk.
    endOnFailure: true,
  };
}

function positiveInt(v: string | undefined): number | undefined {
  const n = integer(v);
  return n !== undefined && n > 0 ? n : undefined;
}

function integer(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Text a server must never send back: a stack frame (`at fn (file.ts:1:2)`), a source path, or a
 * Node internal. Echoed client data is not checked with this, only what the server wrote itself.
 */
export const STACK_TRACE = /\bat [^\s]+ \(|\bat (?:file:\/\/|\/)|\.(?:ts|js|mjs|cjs):\d+:\d+|node:internal|\/work\/|\/node_modules\//;

/** The first stack-trace-like fragment of `text`, or null. */
export function leakedStack(text: string): string | null {
  const m = STACK_TRACE.exec(text);
  return m === null ? null : text.slice(Math.max(0, m.index - 40), m.index + 80);
}
