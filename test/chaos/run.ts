/**
 * `npm run chaos`: the long chaos soak (issue 11 §1). CHAOS_MINUTES sets its length (default 5),
 * CHAOS_SEED reruns a schedule (the seed is printed first), CHAOS_BOTS the fleet size (default 160).
 * Exits 1 when the verdict fails; the whole report is printed either way.
 */
import { chaosSeed } from './schedule.js';
import { runSoak } from './soak.js';
import { describe, verdict } from './soak-report.js';

function positive(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got "${text}")`);
  return n;
}

async function main(): Promise<number> {
  const seed = chaosSeed();
  const minutes = positive('CHAOS_MINUTES', 5);
  const bots = Math.round(positive('CHAOS_BOTS', 160));
  process.stdout.write(`chaos: seed ${seed} (rerun with CHAOS_SEED=${seed})\n`);
  const report = await runSoak({ seed, durationMs: minutes * 60_000, bots, log: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(`\n${describe(report)}\n`);
  if (process.env.CHAOS_JSON) process.stdout.write(`${JSON.stringify({ ...report, injections: undefined })}\n`);
  return verdict(report).length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e: unknown) => {
  process.stderr.write(`chaos: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(2);
});
