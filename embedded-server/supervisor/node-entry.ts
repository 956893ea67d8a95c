/** Where the node process code is: the TypeScript source under tsx, or the compiled JavaScript. */
import { fileURLToPath } from 'node:url';
import type { NodeEntry } from './node-process.js';

export function nodeEntry(): NodeEntry {
  const self = fileURLToPath(import.meta.url);
  const ts = self.endsWith('.ts');
  const path = fileURLToPath(new URL(`../node/node-main.${ts ? 'ts' : 'js'}`, import.meta.url));
  return { path, execArgv: ts ? ['--import', import.meta.resolve('tsx')] : [] };
}
