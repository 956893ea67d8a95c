import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A redis-server child started for a test; `stop()` is idempotent and ends it by pid. */
export interface RunningRedis {
  url: string;
  port: number;
  /** Pid of the watchdog shell that owns redis-server (killing it, or closing its stdin, ends redis). */
  pid: number;
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Extra redis-server arguments, e.g. ['--maxmemory-policy', 'allkeys-lru']. */
  args?: string[];
  /** Give up waiting for "Ready to accept connections" after this long. Default 10 s. */
  readyTimeoutMs?: number;
}

const READY = 'Ready to accept connections';
const MAX_ATTEMPTS = 5;

/**
 * Starts redis-server on 127.0.0.1 and a free port, without persistence, through a stdin
 * watchdog: if this process dies without calling `stop()`, EOF on the shell's stdin kills redis,
 * so no orphan outlives the test run (TOOLCHAIN.md §6). Retries on a port taken in between.
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RunningRedis> {
  let lastError: unknown;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const port = await freePort();
    try {
      return await startOn(port, options);
    } catch (error) {
      lastError = error;
      if (!String((error as Error).message).includes('Address already in use')) throw error;
    }
  }
  throw new Error(`redis-server did not start after ${MAX_ATTEMPTS} attempts: ${String(lastError)}`);
}

async function startOn(port: number, options: StartRedisOptions): Promise<RunningRedis> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-redis-'));
  const redisArgs = [
    '--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no',
    '--daemonize', 'no', '--protected-mode', 'yes', '--dir', dir, ...(options.args ?? []),
  ];
  // "$@" keeps each argument (including the empty --save value) intact through the shell.
  const script = 'redis-server "$@" & p=$!; read _; kill $p 2>/dev/null; wait $p';
  const child = spawn('sh', ['-c', script, 'sh', ...redisArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not spawn redis-server');
  const pid = child.pid;

  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForReady(child, options.readyTimeoutMs ?? 10_000, (chunk) => { output += chunk; });
  } catch (error) {
    await endChild(child, pid, exited);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}; redis-server output: ${output.slice(-500)}`, { cause: error });
  }
  // Keep draining stdout so redis never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();

  let stopping: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid,
    stop() {
      stopping ??= endChild(child, pid, exited).then(() => rmSync(dir, { recursive: true, force: true }));
      return stopping;
    },
  };
}

function waitForReady(child: ChildProcess, timeoutMs: number, collect: (chunk: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => finish(new Error(`redis-server not ready within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      collect(text);
      seen += text;
      if (seen.includes(READY)) finish();
      else if (seen.includes('Address already in use')) finish(new Error('Address already in use'));
    };
    const onExit = (): void => finish(new Error('redis-server exited before it was ready'));
    function finish(error?: Error): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Closes the watchdog's stdin (it then kills redis and waits for it); SIGKILL by pid as a fallback. */
async function endChild(child: ChildProcess, pid: number, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin?.end();
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    await exited;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
