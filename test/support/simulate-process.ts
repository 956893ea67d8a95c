/**
 * `switchboard simulate` as a separate child process, the way a user runs it in a terminal: the CLI
 * entry under tsx, with its own fresh SWITCHBOARD_CONFIG_DIR (so no stored secrets are read or
 * written), its output kept. `stop()` is Ctrl+C (SIGINT, which ends every bot), then SIGKILL after a
 * grace; idempotent.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI_PATH = fileURLToPath(new URL('../../embedded-server/cli.ts', import.meta.url));
const STOP_GRACE_MS = 20_000;

export interface SimulateProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** The exit code (null when ended by a signal). */
  readonly exited: Promise<number | null>;
  /** The exit code, waited for at most `timeoutMs`; throws with the output past it. */
  exitWithin(timeoutMs: number): Promise<number | null>;
  stop(): Promise<void>;
}

/** The cluster a fleet targets: its client URL, its server API and secrets. */
export interface SimulateTarget {
  clientUrl: string;
  apiUrl: string;
  apiKey: string;
  tokenSecret: string;
}

/** Starts `switchboard simulate ...args --url=… --api-url=… --api-key=… --token-secret=…`. */
export function startSimulate(target: SimulateTarget, args: string[]): SimulateProcess {
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-simulate-'));
  const child = spawn(process.execPath, [
    '--import', import.meta.resolve('tsx'), CLI_PATH, 'simulate', ...args,
    // `--flag=value`: a secret may begin with "-", which would read as the next option.
    `--url=${target.clientUrl}`, `--api-url=${target.apiUrl}`, `--api-key=${target.apiKey}`, `--token-secret=${target.tokenSecret}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SWITCHBOARD_CONFIG_DIR: configDir } });
  if (child.pid === undefined) throw new Error('could not spawn switchboard simulate');
  let out = '';
  let errText = '';
  child.stdout?.on('data', (b: Buffer) => void (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => void (errText += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => rmSync(configDir, { recursive: true, force: true }));
  const exitWithin = async (timeoutMs: number): Promise<number | null> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
    const code = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (code === 'late') throw new Error(`switchboard simulate did not exit within ${timeoutMs} ms; stderr:\n${errText.slice(-2000)}`);
    return code;
  };
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT'); // a test may have paused it
      child.kill('SIGINT');
      await exitWithin(STOP_GRACE_MS).catch(() => {
        child.kill('SIGKILL');
        return exited;
      });
    })();
    return stopping;
  };
  return { child, pid: child.pid, stdout: () => out, stderr: () => errText, exited, exitWithin, stop };
}
