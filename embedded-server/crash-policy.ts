/**
 * What a Switchboard process does with a programmer error nobody caught (an exception or a
 * rejected promise): one report with the stack, naming the process, then a non-zero exit — never a
 * silent death, never limping on in an unknown state. A node's exit is seen by the supervisor, which
 * restarts it (supervisor/node-pool.ts); the supervisor's is seen by its launcher or the desktop app.
 * Only entries install it (node-main.ts, `switchboard serve`, host-entry.ts): `startCluster` is a
 * library and leaves process-wide handlers to whoever hosts it.
 */

/** Exit code after an uncaught error (EX_SOFTWARE in sysexits.h: an internal software error). */
export const EXIT_CRASH = 70;

/** Installs the policy for this process; `label` names it in the report. Returns a dispose. */
export function installCrashPolicy(
  label: () => string,
  write: (text: string) => void = (text) => void process.stderr.write(text),
  exit: (code: number) => void = (code) => process.exit(code),
): () => void {
  const die = (kind: string) => (e: unknown): void => {
    const what = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
    try {
      write(`${label()}: ${kind}, exiting with code ${EXIT_CRASH}: ${what}\n`);
    } finally {
      exit(EXIT_CRASH);
    }
  };
  const onException = die('uncaught exception');
  const onRejection = die('unhandled rejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
