/** Where the node process code is (the TypeScript source under tsx, or the compiled JavaScript), and how V8 runs it. */
import { fileURLToPath } from 'node:url';
import { NODE_V8_FLAGS } from '../../shared/v8-flags.js';
import type { NodeEntry } from './node-process.js';

/** `v8Flags`: what the node runs with in place of NODE_V8_FLAGS (the bench starts every peer with the same flags). */
export function nodeEntry(v8Flags: readonly string[] = NODE_V8_FLAGS): NodeEntry {
  const self = fileURLToPath(import.meta.url);
  const ts = self.endsWith('.ts');
  const path = fileURLToPath(new URL(`../node/node-main.${ts ? 'ts' : 'js'}`, import.meta.url));
  return { path, execArgv: [...v8Flags, ...(ts ? ['--import', import.meta.resolve('tsx')] : [])] };
}
