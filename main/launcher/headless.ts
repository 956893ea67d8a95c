/**
 * The fallback of `npm start` where Electron cannot run: the same cluster through `switchboard
 * serve`, its banner passed through, one line first that says why and where the console is, and
 * the console opened in the browser when possible. Signals reach the cluster once (it stops cleanly).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The console URL in serve's banner (embedded-server/cli-text.ts: "  console           http://…"). */
export function consoleUrlIn(text: string): string | null {
  return /^\s*console\s+(https?:\/\/\S+)/m.exec(text)?.[1] ?? null;
}

/** The one line printed before the banner. */
export function fallbackLine(reason: string, consoleUrl: string): string {
  return `${reason}; starting Switchboard headless instead — open the console at ${consoleUrl}`;
}

/** Opens a URL in the default browser; every failure is ignored (a server may have none). */
export function openInBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]]
    : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]]
      : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no browser here: the printed URL is enough
  }
}

/** Runs `switchboard serve <args>` until it ends; resolves with the exit code to use. */
export function runHeadless(root: string, reason: string, args: string[], openBrowser: boolean): Promise<number> {
  const ownGroup = process.platform !== 'win32';
  const child: ChildProcess = spawn(process.execPath, [join(root, 'bin', 'switchboard.js'), 'serve', ...args], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'], detached: ownGroup,
  });
  let held = '';
  let announced = false;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (announced) return void process.stdout.write(chunk);
    held += chunk.toString();
    const url = consoleUrlIn(held);
    if (url === null) return;
    announced = true;
    process.stdout.write(`${fallbackLine(reason, url)}\n\n${held}`);
    if (openBrowser) openInBrowser(url);
  });
  let signalled = 0;
  const forward = (): void => {
    // npm and the terminal may both deliver the same Ctrl+C: pass one on, a later one forces.
    const now = Date.now();
    if (now - signalled < 1000) return;
    signalled = now;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, forward);
  return new Promise((resolve) => {
    child.on('error', (e) => {
      process.stderr.write(`${reason}, and the headless cluster could not start: ${e.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      if (!announced) {
        if (held) process.stdout.write(held);
        process.stderr.write(`${reason}, and the headless cluster did not start either (see above).\n`);
      }
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
