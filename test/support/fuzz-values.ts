/**
 * Hostile values for structure-aware fuzzing: what a field of a wire message may be replaced with
 * (wrong types, extreme numbers, odd Unicode, deep nesting, prototype-named keys), and objects that
 * carry `__proto__` / `constructor` as real own keys, as `JSON.parse` makes them.
 */
import fc from 'fast-check';

/** Keys that break code treating a parsed object as a plain map. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/** Strings a field may hold: ordinary, Unicode (any plane, lone surrogates), control characters, long. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 4, arbitrary: fc.constantFrom('', ' ', '\n', '\r\n', '\u0000', '\uD800', '\uDFFF', '\uFEFF', '\u202E', '🙂', 'e\u0301', '%00', '../', '${x}', ...PROTO_KEYS) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 5000 }).map((n) => 'x'.repeat(n)) },
);

/** Numbers at the edges of what a field may hold. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, -1, 0.5, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE),
);

/** An array or object nested `depth` levels deep (deep enough to hurt a recursive walk). */
export const deepValue: fc.Arbitrary<unknown> = fc.tuple(fc.constantFrom(63, 64, 65, 127, 128, 129, 500, 2000), fc.boolean()).map(([depth, arrays]) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
});

/** An object whose own keys include prototype names, each holding a hostile value. */
export const protoKeyedObject: fc.Arbitrary<Record<string, unknown>> = fc
  .array(fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileString)), { minLength: 1, maxLength: 3 })
  .map((pairs) => withOwnKeys({}, pairs));

/** Any value a hostile peer could put in a JSON field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: protoKeyedObject },
  { weight: 1, arbitrary: fc.integer({ min: 500, max: 3000 }).map((n) => Array<number>(n).fill(7)) },
);

/** Copies `pairs` onto `target` as own enumerable keys (`__proto__` included), the way JSON.parse would. */
export function withOwnKeys<T extends object>(target: T, pairs: readonly (readonly [string, unknown])[]): T {
  for (const [k, v] of pairs) Object.defineProperty(target, k, { value: v, enumerable: true, writable: true, configurable: true });
  return target;
}

export type FieldMutation = { kind: 'keep' } | { kind: 'drop' } | { kind: 'replace'; value: unknown };

/** How one field of a well-formed message is mutated: mostly kept, else dropped or replaced. */
export const fieldMutation: fc.Arbitrary<FieldMutation> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'keep' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'drop' } as const) },
  { weight: 3, arbitrary: hostileValue.map((value) => ({ kind: 'replace', value }) as const) },
);

/**
 * A structure-aware mutant of `base`: each field kept, dropped or replaced, sometimes with extra
 * keys (prototype names or random ones) added.
 */
export function mutated(base: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(base);
  return fc.tuple(
    fc.array(fieldMutation, { minLength: keys.length, maxLength: keys.length }),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 8 })), hostileValue), { maxLength: 2 }),
  ).map(([mutations, extra]) => {
    const out: Record<string, unknown> = {};
    keys.forEach((k, i) => {
      const m = mutations[i];
      if (m.kind === 'keep') out[k] = base[k];
      else if (m.kind === 'replace') out[k] = m.value;
    });
    return withOwnKeys(out, extra);
  });
}
