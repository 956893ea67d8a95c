/**
 * A real HAProxy (Debian's package) for a test, running the repository's own deploy/haproxy.cfg —
 * the very file the README tells users to run. That file reads its addresses from environment
 * variables (SB_LISTEN, SB_SUPERVISOR_A, SB_SUPERVISOR_B, with README defaults set by `presetenv`),
 * so the test "renders" it with its own free ports through the environment, not by copying it.
 *
 * HAProxy runs in the foreground (-db) under a stdin watchdog shell, as redis-server does in
 * redis-server.ts: if this process dies without calling `stop()`, EOF on the shell's stdin kills
 * HAProxy, so no orphan holds the port. `stop()` ends it by pid.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './test-cluster.js';

/** The config the README runs, used as is. */
export const HAPROXY_CONFIG = fileURLToPath(new URL('../../deploy/haproxy.cfg', import.meta.url));

export interface RunningHaproxy {
  /** The front port clients connect to. */
  port: number;
  /** `ws://127.0.0.1:P/connection/websocket` */
  clientUrl: string;
  /** `http://127.0.0.1:P/api` */
  apiUrl: string;
  /** HAProxy's own pid (the watchdog shell's child). */
  pid: number;
  /** What HAProxy printed: notices, and a warning each time a server goes DOWN or UP. */
  output(): string;
  /**
   * Resolves with the time (Date.now()) HAProxy printed a line matching `pattern` at or after
   * `since` (default: any time), waiting up to `timeoutMs`.
   */
  waitForLine(pattern: RegExp, timeoutMs: number, since?: number): Promise<number>;
  stop(): Promise<void>;
}

export interface StartHaproxyOptions {
  /** Client ports of supervisor A and B, on 127.0.0.1. */
  supervisorA: number;
  supervisorB: number;
}

const MAX_ATTEMPTS = 5;

/** Starts HAProxy on a free front port; retries when the port was taken in between. */
export async function startHaproxy(options: StartHaproxyOptions): Promise<RunningHaproxy> {
  let lastError: unknown;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      return await startOn(await freePort(), options);
    } catch (error) {
      lastError = error;
      if (!String((error as Error).message).includes('cannot bind')) throw error;
    }
  }
  throw new Error(`haproxy did not start after ${MAX_ATTEMPTS} attempts: ${String(lastError)}`);
}

async function startOn(port: number, options: StartHaproxyOptions): Promise<RunningHaproxy> {
  // The shell prints HAProxy's pid and exits when HAProxy does; a background reader ends HAProxy
  // on EOF of the shell's stdin (fd 3: an asynchronous list's own stdin is /dev/null).
  const script = 'exec 3<&0; "$0" "$@" </dev/null & p=$!; echo "haproxy-pid $p"; (read _ <&3; kill $p 2>/dev/null) & wait $p';
  const child = spawn('sh', ['-c', script, haproxyBinary(), '-db', '-f', HAPROXY_CONFIG], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SB_LISTEN: `127.0.0.1:${port}`,
      SB_SUPERVISOR_A: `127.0.0.1:${options.supervisorA}`,
      SB_SUPERVISOR_B: `127.0.0.1:${options.supervisorB}`,
    },
  });
  if (child.pid === undefined) throw new Error('could not spawn haproxy');
  const shellPid = child.pid;
  let output = '';
  const lines: { at: number; line: string }[] = [];
  let partial = '';
  const collect = (chunk: Buffer): void => {
    const text = chunk.toString();
    output += text;
    partial += text;
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) lines.push({ at: Date.now(), line });
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => { gone = true; });

  let stopping: Promise<void> | undefined;
  let haproxyPid = 0;
  const stop = (): Promise<void> => {
    stopping ??= endChild(child, shellPid, haproxyPid, exited);
    return stopping;
  };

  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const m = /haproxy-pid (\d+)/.exec(output);
      if (m) haproxyPid = Number(m[1]);
      if (gone) throw new Error(`haproxy exited at start: ${output.slice(-1000)}`);
      if (haproxyPid > 0 && (await accepts(port))) break;
      if (Date.now() > deadline) throw new Error(`haproxy did not listen on ${port} within 10 s: ${output.slice(-1000)}`);
      await sleep(50);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    port,
    clientUrl: `ws://127.0.0.1:${port}/connection/websocket`,
    apiUrl: `http://127.0.0.1:${port}/api`,
    pid: haproxyPid,
    output: () => output,
    async waitForLine(pattern, timeoutMs, since = 0) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = lines.find((l) => l.at >= since && pattern.test(l.line));
        if (hit) return hit.at;
        if (Date.now() > deadline) throw new Error(`haproxy printed no line matching ${String(pattern)} within ${timeoutMs} ms`);
        await sleep(20);
      }
    },
    stop,
  };
}

/** Closes the watchdog's stdin (its reader then ends HAProxy); SIGKILL by pid as a fallback. */
async function endChild(child: ChildProcess, shellPid: number, haproxyPid: number, exited: Promise<void>): Promise<void> {
  child.stdin?.end(); // also lets the background reader go when HAProxy already exited
  if (child.exitCode === null && child.signalCode === null) {
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000).unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      for (const pid of [haproxyPid, shellPid]) {
        if (pid <= 0) continue;
        try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      }
      await exited;
    }
  }
}

/** `haproxy` on the PATH, or in an sbin directory a non-root PATH may lack (Debian puts it in /usr/sbin). */
function haproxyBinary(): string {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = path.join(dir, 'haproxy');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error('haproxy not found (Debian: apt-get install haproxy; .ci/run installs it)');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
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
