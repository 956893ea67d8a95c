import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

/**
 * A redis-server child started for a test. `stop()` is idempotent, ends it by pid and removes its
 * data directory; `down()` and `up()` end it and start it again on the same port and directory
 * (a restart: with AOF it reloads what it had, without persistence it comes back empty).
 */
export interface RunningRedis {
  url: string;
  port: number;
  /** The data directory (`--dir`): the AOF files live under it. */
  dir: string;
  /** Pid of the current watchdog shell that owns redis-server (killing it, or closing its stdin, ends redis); 0 while down. */
  readonly pid: number;
  /** Pid of the current redis-server itself; 0 while down. */
  readonly serverPid: number;
  /**
   * Ends redis-server and keeps its directory: 'graceful' (SIGTERM: with AOF everything written is
   * on disk) or 'crash' (SIGKILL). Resolves once the process is gone.
   */
  down(how?: 'graceful' | 'crash'): Promise<void>;
  /** Starts it again on the same port and directory; resolves at "Ready to accept connections". */
  up(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Extra redis-server arguments, e.g. ['--maxmemory-policy', 'allkeys-lru']. */
  args?: string[];
  /**
   * 'none' (default): `--save '' --appendonly no`, a restart comes back empty. 'aof':
   * `--appendonly yes --appendfsync always`, every acknowledged write survives a restart.
   */
  persistence?: 'none' | 'aof';
  /** Give up waiting for "Ready to accept connections" after this long. Default 10 s. */
  readyTimeoutMs?: number;
}

const READY = 'Ready to accept connections';
const MAX_ATTEMPTS = 5;
/** How long `up()` retries when the port was taken by someone else while redis was down. */
const UP_RETRY_MS = 5_000;

/**
 * Starts redis-server on 127.0.0.1 and a free port through a stdin watchdog: if this process dies
 * without calling `stop()`, EOF on the shell's stdin kills redis, so no orphan outlives the test
 * run (TOOLCHAIN.md §6). Retries on a port taken in between.
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RunningRedis> {
  let lastError: unknown;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-redis-'));
    try {
      const first = await launch(port, dir, options);
      return new RedisProcess(port, dir, options, first);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      lastError = error;
      if (!String((error as Error).message).includes('Address already in use')) throw error;
    }
  }
  throw new Error(`redis-server did not start after ${MAX_ATTEMPTS} attempts: ${String(lastError)}`);
}

/** One run of redis-server under its watchdog shell. */
interface Launched {
  child: ChildProcess;
  pid: number;
  serverPid: number;
  exited: Promise<void>;
}

class RedisProcess implements RunningRedis {
  readonly url: string;
  private current: Launched | null;
  private stopping: Promise<void> | undefined;

  constructor(readonly port: number, readonly dir: string, private readonly options: StartRedisOptions, first: Launched) {
    this.url = `redis://127.0.0.1:${port}`;
    this.current = first;
  }

  get pid(): number {
    return this.current?.pid ?? 0;
  }

  get serverPid(): number {
    return this.current?.serverPid ?? 0;
  }

  async down(how: 'graceful' | 'crash' = 'graceful'): Promise<void> {
    const run = this.current;
    this.current = null;
    if (run) await endChild(run, how);
  }

  async up(): Promise<void> {
    if (this.stopping) throw new Error('redis-server was stopped');
    if (this.current) return;
    const deadline = Date.now() + UP_RETRY_MS;
    for (;;) {
      try {
        this.current = await launch(this.port, this.dir, this.options);
        return;
      } catch (error) {
        // The port is ours only while we listen on it; another process may hold it for a moment.
        if (!String((error as Error).message).includes('Address already in use') || Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  stop(): Promise<void> {
    this.stopping ??= this.down('graceful').then(() => rmSync(this.dir, { recursive: true, force: true }));
    return this.stopping;
  }
}

function launch(port: number, dir: string, options: StartRedisOptions): Promise<Launched> {
  const persistence = options.persistence === 'aof'
    ? ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always']
    : ['--save', '', '--appendonly', 'no'];
  const redisArgs = [
    '--bind', '127.0.0.1', '--port', String(port), ...persistence,
    '--daemonize', 'no', '--protected-mode', 'yes', '--dir', dir, ...(options.args ?? []),
  ];
  return launchWatched(redisArgs, READY, options.readyTimeoutMs ?? 10_000);
}

/** Runs `redis-server <redisArgs>` under the watchdog shell; resolves once its output shows `ready`. */
async function launchWatched(redisArgs: string[], ready: string, readyTimeoutMs: number): Promise<Launched> {
  // "$@" keeps each argument (including the empty --save value) intact through the shell. The
  // shell prints redis's pid, then waits for a line on stdin: "KILL" crashes redis, EOF (or
  // anything else) ends it with SIGTERM.
  const script = 'redis-server "$@" & p=$!; echo "watchdog: redis pid $p"; read s; '
    + 'if [ "$s" = KILL ]; then kill -9 $p 2>/dev/null; else kill $p 2>/dev/null; fi; wait $p';
  const child = spawn('sh', ['-c', script, 'sh', ...redisArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not spawn redis-server');
  const pid = child.pid;

  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let serverPid = 0;
  try {
    await waitForReady(child, ready, readyTimeoutMs, (chunk) => {
      output += chunk;
      serverPid ||= Number(/watchdog: redis pid (\d+)/.exec(output)?.[1] ?? 0);
    });
  } catch (error) {
    await endChild({ child, pid, serverPid, exited }, 'graceful');
    throw new Error(`${(error as Error).message}; redis-server output: ${output.slice(-500)}`, { cause: error });
  }
  // Keep draining stdout so redis never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return { child, pid, serverPid, exited };
}

function waitForReady(child: ChildProcess, ready: string, timeoutMs: number, collect: (chunk: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => finish(new Error(`redis-server not ready within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      collect(text);
      seen += text;
      if (seen.includes(ready)) finish();
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

/**
 * Tells the watchdog how to end redis ("KILL" or EOF for SIGTERM; it then waits for it) and waits
 * for the shell to exit; SIGKILL to the shell and redis by pid as a fallback.
 */
async function endChild(run: Launched, how: 'graceful' | 'crash'): Promise<void> {
  const { child, pid, serverPid, exited } = run;
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (how === 'crash') child.stdin?.write('KILL\n');
  child.stdin?.end();
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    for (const p of [serverPid, pid]) {
      if (p === 0) continue;
      try { process.kill(p, 'SIGKILL'); } catch { /* already gone */ }
    }
    await exited;
  }
}

/** A Redis Sentinel child started for a test; `stop()` is idempotent, ends it by pid and removes its directory. */
export interface RunningSentinel {
  port: number;
  /** `{ host, port }` as the engine's `sentinel.addresses` takes it. */
  address: { host: string; port: number };
  /** Its own directory: the config file it rewrites as it learns the group (one per sentinel). */
  dir: string;
  /** Pid of the watchdog shell (0 once stopped). */
  readonly pid: number;
  /** Pid of the sentinel process itself (0 once stopped). */
  readonly serverPid: number;
  stop(): Promise<void>;
}

export interface StartSentinelOptions {
  /** The master group's name (`sentinel monitor <name> …`). */
  masterName: string;
  /** The master to watch at start. */
  masterPort: number;
  /** Sentinels that must agree the master is down. Default 1. */
  quorum?: number;
  /** Unanswered this long, the master is down (`down-after-milliseconds`). Default 1000. */
  downAfterMs?: number;
  /** `failover-timeout`. Default 3000. */
  failoverTimeoutMs?: number;
  /** Give up waiting for it to monitor the master after this long. Default 10 s. */
  readyTimeoutMs?: number;
}

/**
 * Starts `redis-server <conf> --sentinel` on 127.0.0.1 and a free port, with a config file written in
 * its own temporary directory (sentinels rewrite theirs as they learn replicas and other sentinels),
 * under the same stdin watchdog as startRedis; ready once it logs `+monitor master <name>`.
 */
export async function startSentinel(options: StartSentinelOptions): Promise<RunningSentinel> {
  let lastError: unknown;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-sentinel-'));
    const conf = path.join(dir, 'sentinel.conf');
    const name = options.masterName;
    writeFileSync(conf, [
      'bind 127.0.0.1',
      `port ${port}`,
      `dir ${dir}`,
      `sentinel monitor ${name} 127.0.0.1 ${options.masterPort} ${options.quorum ?? 1}`,
      `sentinel down-after-milliseconds ${name} ${options.downAfterMs ?? 1_000}`,
      `sentinel failover-timeout ${name} ${options.failoverTimeoutMs ?? 3_000}`,
      `sentinel parallel-syncs ${name} 1`,
      '',
    ].join('\n'));
    try {
      const run = await launchWatched([conf, '--sentinel', '--daemonize', 'no'], `+monitor master ${name} `, options.readyTimeoutMs ?? 10_000);
      return new SentinelProcess(port, dir, run);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      lastError = error;
      if (!String((error as Error).message).includes('Address already in use')) throw error;
    }
  }
  throw new Error(`redis-server --sentinel did not start after ${MAX_ATTEMPTS} attempts: ${String(lastError)}`);
}

class SentinelProcess implements RunningSentinel {
  readonly address: { host: string; port: number };
  private current: Launched | null;
  private stopping: Promise<void> | undefined;

  constructor(readonly port: number, readonly dir: string, run: Launched) {
    this.address = { host: '127.0.0.1', port };
    this.current = run;
  }

  get pid(): number {
    return this.current?.pid ?? 0;
  }

  get serverPid(): number {
    return this.current?.serverPid ?? 0;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const run = this.current;
      this.current = null;
      if (run) await endChild(run, 'graceful');
      rmSync(this.dir, { recursive: true, force: true });
    })();
    return this.stopping;
  }
}
