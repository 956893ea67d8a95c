/**
 * `npm run bench:node-start [-- --starts=N --serves=M]`: how long a node takes to start, and `serve`
 * to listen, compiled vs under tsx. A node start is timed from `fork` to its `ready` message (the
 * supervisor's view of a restart: load the code, take `init`, answer); a serve start from spawning
 * bin/switchboard.js to its banner's last line (the ports listen, every node ready). Starts alternate
 * between the runtimes so background load spreads over both. Builds the server first when stale.
 * Writes test-results/node-start.json.
 */
import { fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClusterConfig } from '../embedded-server/index.js';
import type { NodeInit, NodeMessage } from '../shared/ipc/node-ipc.js';
import { NODE_V8_FLAGS } from '../shared/v8-flags.js';
import { builtPath, serverRuntime } from '../bin/server-build.js';
import { buildMain } from '../main/launcher/build-desktop.js';
import { descendants } from './proc.js';
import { median } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export type Runtime = 'compiled' | 'tsx';
const RUNTIMES: readonly Runtime[] = ['tsx', 'compiled'];
/** A start that takes longer than this is a failure, not a figure. */
const START_BOUND_MS = 60_000;

export interface NodeStartResult {
  /** Milliseconds per start, in the order measured. */
  node: Record<Runtime, number[]>;
  serve: Record<Runtime, number[]>;
  loadBefore: number[];
  loadAfter: number[];
}

function nodeEntry(runtime: Runtime): { path: string; execArgv: string[] } {
  return runtime === 'compiled'
    ? { path: builtPath(ROOT, 'embedded-server/node/node-main.ts'), execArgv: [...NODE_V8_FLAGS] }
    : { path: join(ROOT, 'embedded-server', 'node', 'node-main.ts'), execArgv: [...NODE_V8_FLAGS, '--import', import.meta.resolve('tsx')] };
}

/** Ends a process and what it started (tsx's esbuild helper), by pid. */
function endTree(pid: number): void {
  for (const p of [...descendants(pid), pid]) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** One node: fork, send `init` as the supervisor does, wait for `ready`; answers the milliseconds. */
export function timeNodeStart(runtime: Runtime): Promise<number> {
  const config = defaultClusterConfig({ nodes: 1 });
  const init: NodeInit = { nodeId: 'node-start', supervisor: config.name, client: config.client, channels: config.channels, proxies: config.proxies, statsIntervalMs: config.statsIntervalMs, serverVersion: 'bench' };
  const { path, execArgv } = nodeEntry(runtime);
  const t0 = performance.now();
  const child = fork(path, [], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  child.send({ t: 'init', init });
  return new Promise((resolve, reject) => {
    let readyMs: number | undefined;
    const bound = setTimeout(() => endTree(child.pid!), START_BOUND_MS);
    child.on('message', (batch: NodeMessage[]) => {
      if (readyMs !== undefined || !batch.some((m) => m.t === 'ready')) return;
      readyMs = performance.now() - t0;
      endTree(child.pid!);
    });
    child.on('exit', (code) => {
      clearTimeout(bound);
      if (readyMs !== undefined) resolve(readyMs);
      else reject(new Error(`${runtime} node exited (${code}) before ready, or not ready within ${START_BOUND_MS} ms`));
    });
  });
}

/** One `switchboard serve --nodes 2` from spawn to its banner; stopped by SIGTERM, then what is left by SIGKILL. */
export function timeServeStart(runtime: Runtime): Promise<number> {
  const configDir = mkdtempSync(join(os.tmpdir(), 'switchboard-node-start-'));
  const env = { ...process.env, SWITCHBOARD_CONFIG_DIR: configDir, SWITCHBOARD_RUNTIME: runtime === 'tsx' ? 'tsx' : '' };
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'switchboard.js'), 'serve', '--nodes', '2', '--port', '0', '--admin-port', '0'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  let below: number[] = [];
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const finish = async (): Promise<void> => {
    child.kill('SIGTERM');
    await Promise.race([done, new Promise((r) => setTimeout(r, 15_000))]);
    for (const pid of below) endTree(pid);
    endTree(child.pid!);
    rmSync(configDir, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    const bound = setTimeout(() => void finish().then(() => reject(new Error(`${runtime} serve not listening within ${START_BOUND_MS} ms`))), START_BOUND_MS);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (!out.includes('Ctrl+C stops the cluster.') || below.length > 0) return;
      const ms = performance.now() - t0;
      clearTimeout(bound);
      below = descendants(child.pid!);
      void finish().then(() => resolve(ms));
    });
  });
}

export async function measureStarts(starts: number, serves: number, log: (s: string) => void = () => undefined): Promise<NodeStartResult> {
  const res: NodeStartResult = { node: { tsx: [], compiled: [] }, serve: { tsx: [], compiled: [] }, loadBefore: os.loadavg(), loadAfter: [] };
  for (let i = 0; i < starts; i++) {
    for (const r of i % 2 === 0 ? RUNTIMES : [...RUNTIMES].reverse()) res.node[r].push(await timeNodeStart(r));
  }
  log(`node starts done (${starts} each)`);
  for (let i = 0; i < serves; i++) {
    for (const r of i % 2 === 0 ? RUNTIMES : [...RUNTIMES].reverse()) res.serve[r].push(await timeServeStart(r));
  }
  res.loadAfter = os.loadavg();
  return res;
}

const fmt = (xs: number[]): string => `${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}, n=${xs.length})`;

export function renderStarts(r: NodeStartResult): string {
  const row = (what: string, x: Record<Runtime, number[]>): string => x.tsx.length === 0 ? ''
    : `| ${what} | ${fmt(x.tsx)} | ${fmt(x.compiled)} | ${(median(x.tsx) / median(x.compiled)).toFixed(2)}× |\n`;
  return '| start | tsx (median, min–max) | compiled (median, min–max) | tsx ÷ compiled |\n|---|---:|---:|---:|\n'
    + row('node: fork → ready', r.node) + row('serve --nodes 2: spawn → banner', r.serve)
    + `\nLoad average before ${r.loadBefore.map((x) => x.toFixed(2)).join(' / ')}, after ${r.loadAfter.map((x) => x.toFixed(2)).join(' / ')}.\n`;
}

async function main(argv: string[]): Promise<void> {
  const flag = (name: string, dflt: number): number => Number(argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
  if (serverRuntime(ROOT).runtime !== 'compiled') {
    console.log('building the server (npm run build:server)…');
    if (!(await buildMain({ quiet: true }))) throw new Error('the server build failed');
  }
  const res = await measureStarts(flag('starts', 10), flag('serves', 5), (s) => console.log(s));
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(join(ROOT, 'test-results', 'node-start.json'), JSON.stringify(res, null, 1));
  console.log(`\n${renderStarts(res)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
}
