/** Where the node process code is (the TypeScript source under tsx, or the compiled JavaScript), and how V8 runs it. */
import { fileURLToPath } from 'node:url';
import { NODE_V8_FLAGS } from '../../shared/v8-flags.js';
import type { NodeEntry } from './node-process.js';

export function nodeEntry(): NodeEntry {
  const self = fileURLToPath(import.meta.url);
  const ts = self.endsWith('.ts');
  const path = fileURLToPath(new URL(`../node/node-main.${ts ? 'ts' : 'js'}`, import.meta.url));
  return { path, execArgv: [...NODE_V8_FLAGS, ...(ts ? ['--import', import.meta.resolve('tsx')] : [])] };
}
