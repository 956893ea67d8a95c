/** Where the simulator's process entries are: the TypeScript source under tsx, or the compiled JavaScript. */
import { fileURLToPath } from 'node:url';

export interface SimEntry {
  path: string;
  execArgv: string[];
}

export function simEntry(name: 'bot-main' | 'fleet-main'): SimEntry {
  const ts = fileURLToPath(import.meta.url).endsWith('.ts');
  const path = fileURLToPath(new URL(`./${name}.${ts ? 'ts' : 'js'}`, import.meta.url));
  return { path, execArgv: ts ? ['--import', import.meta.resolve('tsx')] : [] };
}
