#!/usr/bin/env node
/**
 * `npm run typecheck`: every folder's tsconfig (each folder has its own, STYLE.md §1), two tsc at a
 * time on these 2-core machines. Every project is checked even after a failure, and each one's
 * output is printed whole, under its name, once it ends.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const projects = [
  'shared/tsconfig.json',
  'embedded-server/tsconfig.json',
  'renderer/tsconfig.json',
  'renderer/tsconfig.test.json',
  'test/tsconfig.json',
  'main/tsconfig.json',
  'main/settings/tsconfig.json',
  'bench/tsconfig.json',
];
const PARALLEL = 2;

function check(project) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', project], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => {
      if (code !== 0) process.stdout.write(`tsc -p ${project} failed:\n${output}`);
      resolve(code === 0);
    });
  });
}

const queue = [...projects];
const failures = [];
await Promise.all(Array.from({ length: PARALLEL }, async () => {
  for (let project = queue.shift(); project; project = queue.shift()) {
    if (!(await check(project))) failures.push(project);
  }
}));
if (failures.length > 0) {
  process.stdout.write(`typecheck failed in ${failures.join(', ')}\n`);
  process.exit(1);
}
