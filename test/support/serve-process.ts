/**
 * `switchboard serve` as a separate child process, the way a user runs it: the CLI entry under tsx
 * with the supervisor's V8 flags, in its own process group with an IPC lifeline — exactly how
 * bin/switchboard.js starts it. Its nodes are forked into that group, so a signal to the group
 * reaches the supervisor and every node at once (`kill('SIGKILL')` = the machine pulling the plug).
 * If the test process dies first, the IPC channel closes and the CLI stops its cluster
 * (embedded-server/launcher-link.ts), so nothing outlives the test run.
 *
 * The ports are learned from the banner `serve` prints (`--port 0 --admin-port 0` pick free ones).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUPERVISOR_V8_FLAGS } from '../../shared/v8-flags.js';
import { waitFor } from './test-cluster.js';

const CLI_PATH = fileURLToPath(new URL('../../embedded-server/cli.ts', import.meta.url));
/** What `serve` prints last in its banner: everything above it is there. */
const BANNER_END = 'Ctrl+C stops the cluster.';
const OUTPUT_KEPT = 64 * 1024;

export interface ServeProcess {
  /** The supervisor's pid, which is also its process group id (its nodes are in that group). */
  readonly pid: number;
  /** `ws://127.0.0.1:P/connection/websocket` */
  readonly clientUrl: string;
  /** The client port (WebSocket, HTTP API, /healthz). */
  readonly port: number;
  /** `http://127.0.0.1:P/api` */
  readonly apiUrl: string;
  /** `ws://127.0.0.1:P/admin` — AdminClient.connect takes this and `adminToken`. */
  readonly adminUrl: string;
  readonly adminToken: string;
  /** Resolves when the supervisor process has exited (and been reaped). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last 64 KB of what the supervisor and its nodes wrote to stdout and stderr. */
  output(): string;
  /** Sends `signal` to the whole process group (supervisor and nodes); answers once the supervisor exited. */
  killGroup(signal: NodeJS.Signals): Promise<void>;
  /**
   * SIGTERM (the CLI stops its cluster), SIGKILL to the group after 15 s; then waits (5 s) until no
   * live process is left in the group. Idempotent.
   */
  stop(): Promise<void>;
}

export interface StartServeOptions {
  /** Extra environment (e.g. SWITCHBOARD_TOKEN_SECRET); SWITCHBOARD_CONFIG_DIR is a fresh temp dir. */
  env?: Record<string, string>;
  /** Give up waiting for the banner after this long. Default 30 s (tsx compiles on first start). */
  readyTimeoutMs?: number;
}

/**
 * Starts `switchboard serve ...args` and waits for its banner. Pass `--port 0 --admin-port 0` (or
 * ports of your own) and whatever else the test needs.
 */
export async function startServe(args: string[], options: StartServeOptions = {}): Promise<ServeProcess> {
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-serve-'));
  const child = spawn(
    process.execPath,
    [...SUPERVISOR_V8_FLAGS, '--import', import.meta.resolve('tsx'), CLI_PATH, 'serve', ...args],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, SWITCHBOARD_CONFIG_DIR: configDir, ...options.env },
    },
  );
  if (child.pid === undefined) throw new Error('could not spawn switchboard serve');
  const pid = child.pid;
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    if (output.length > OUTPUT_KEPT) output = output.slice(-OUTPUT_KEPT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= stopServe(child, pid, exited).finally(() => rmSync(configDir, { recursive: true, force: true }));
    return stopping;
  };

  let banner: Banner;
  try {
    banner = await waitForBanner(() => output, exited, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; serve output:\n${output.slice(-2000)}`, { cause: error });
  }
  return {
    pid,
    ...banner,
    exited,
    output: () => output,
    async killGroup(signal) {
      signalGroup(pid, signal);
      await exited;
    },
    stop,
  };
}

interface Banner {
  clientUrl: string;
  port: number;
  apiUrl: string;
  adminUrl: string;
  adminToken: string;
}

async function waitForBanner(
  output: () => string,
  exited: Promise<unknown>,
  timeoutMs: number,
): Promise<Banner> {
  let gone = false;
  void exited.then(() => { gone = true; });
  await waitFor(() => gone || output().includes(BANNER_END), { timeoutMs, what: 'the serve banner' });
  const text = output();
  if (!text.includes(BANNER_END)) throw new Error('switchboard serve exited before it printed its banner');
  const client = /client WebSocket\s+(ws:\/\/\S+)/.exec(text);
  const api = /HTTP API\s+(http:\/\/\S+)/.exec(text);
  const admin = /admin API\s+(ws:\/\/\S+)\s+token: (\S+)/.exec(text);
  if (!client || !api || !admin) throw new Error('the serve banner lacks the client, HTTP API or admin line');
  return {
    clientUrl: client[1]!,
    port: Number(new URL(client[1]!).port),
    apiUrl: api[1]!,
    adminUrl: admin[1]!,
    adminToken: admin[2]!,
  };
}

async function stopServe(
  child: ChildProcess,
  pid: number,
  exited: Promise<unknown>,
): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000).unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') signalGroup(pid, 'SIGKILL');
    await exited;
  }
  // Nodes exit when their supervisor's IPC channel closes; whatever is left of the group goes now.
  try {
    await waitFor(() => liveGroupMembers(pid).length === 0, { timeoutMs: 5000, what: `process group ${pid} to empty` });
  } catch (error) {
    signalGroup(pid, 'SIGKILL');
    throw error;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: nobody left in the group.
  }
}

/**
 * The live (not zombie) processes whose process group is `pgid`, read from /proc. A zombie holds no
 * socket or memory; it is only waiting for its parent (or init) to reap it.
 */
export function liveGroupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
  }
  return members;
}

/** True while `pid` is a live process (a zombie counts as gone). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}
