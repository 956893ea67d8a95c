/**
 * Bounds on the shape of JSON values that cross the cluster's boundaries (publication data and
 * info): how deeply they nest and how large their JSON text is. Checked by an iterative walk that
 * stops at the first excess, so a hostile value costs no more than the bound to refuse.
 */

/** How deep and how large a JSON value may be. */
export interface JsonLimits {
  /** Nesting levels of arrays and objects: `1` is 0 deep, `{}` and `[1]` 1, `{"a":[]}` 2. */
  maxDepth: number;
  /** Length of the value's JSON text, in UTF-16 code units (escapes not counted). */
  maxBytes: number;
}

/**
 * Limits on publication data and info, at every entry point (client, HTTP API, console).
 * - Depth 64: `JSON.stringify` overflows the stack at a few thousand levels (a node's IPC send died
 *   at ~4,200, the supervisor's at ~4,100 with the envelope around a history reply), so 64 leaves
 *   a wide margin wherever a value is re-encoded; it also stays under common consumers' own limits
 *   (serde_json 128, Ruby's JSON 100) with the frame around the data. Real payloads nest a few levels.
 * - 1 MiB: the HTTP API's body limit; 16× the default client message limit (`message_size_limit`,
 *   64 KiB), so no publication a client frame can carry at the default is refused for its size.
 */
export const PUBLICATION_LIMITS: JsonLimits = { maxDepth: 64, maxBytes: 1024 * 1024 };

/** Characters a scalar takes in JSON text (strings: quotes included, escapes not). */
function scalarSize(v: unknown): number {
  switch (typeof v) {
    case 'string': return v.length + 2;
    case 'number': return String(v).length;
    case 'boolean': return v ? 4 : 5;
    default: return 4; // null (undefined and functions are left out by JSON.stringify; counted as null)
  }
}

/**
 * Why `value` breaks `limits` ("nested deeper than 64 levels", "larger than 1048576 bytes"), or
 * null when it is within them. Iterative (a deep value cannot overflow the stack here) and it stops
 * at the first excess; a cyclic value ends at the depth bound.
 */
export function jsonLimitProblem(value: unknown, limits: JsonLimits = PUBLICATION_LIMITS): string | null {
  const tooDeep = `nested deeper than ${limits.maxDepth} levels`;
  const tooLarge = `larger than ${limits.maxBytes} bytes as JSON`;
  const values: unknown[] = [value];
  const depths: number[] = [0];
  let size = 0;
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (typeof v !== 'object' || v === null) {
      size += scalarSize(v);
      if (size > limits.maxBytes) return tooLarge;
      continue;
    }
    if (depth + 1 > limits.maxDepth) return tooDeep;
    if (Array.isArray(v)) {
      size += 2 + Math.max(0, v.length - 1);
      // Every element takes at least a character: refuse before queueing millions of them.
      if (size + v.length > limits.maxBytes) return tooLarge;
      for (let i = v.length - 1; i >= 0; i--) {
        values.push(v[i]);
        depths.push(depth + 1);
      }
    } else {
      const keys = Object.keys(v);
      size += 2 + Math.max(0, keys.length - 1);
      if (size + keys.length * 4 > limits.maxBytes) return tooLarge;
      for (const k of keys) {
        size += k.length + 3;
        values.push((v as Record<string, unknown>)[k]);
        depths.push(depth + 1);
      }
    }
    if (size > limits.maxBytes) return tooLarge;
  }
  return null;
}
