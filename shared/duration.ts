/**
 * Centrifugo durations (Go `time.ParseDuration` syntax) → milliseconds.
 *
 * Accepted: a sequence of decimal numbers each with a unit, e.g. "300s", "5m", "1h30m", "1.5h",
 * "500ms", "250us"; units are ns, us (µs, μs), ms, s, m, h. Go has no day unit, nor do we.
 * Also accepted, for configs written by hand: "0" and a plain non-negative number — a JSON number
 * (or a digits-only string such as "30") means **seconds**, as in Centrifugo's older configs.
 * Negative durations are rejected. The result is rounded to whole milliseconds.
 */
import type { Result } from './result.js';
import { err, ok } from './result.js';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
const PLAIN_SECONDS = /^\d+(?:\.\d+)?$/;

const hint = 'use a number with a unit, like "300ms", "25s", "5m", "1h30m"';

/** Parses a duration string or a number of seconds into milliseconds. */
export function parseDuration(input: string | number): Result<number, string> {
  if (typeof input === 'number') return secondsToMs(input, String(input));
  const text = input.trim();
  if (text === '') return err(`empty duration: ${hint}`);
  if (text.startsWith('-')) return err(`duration "${input}" is negative`);
  if (PLAIN_SECONDS.test(text)) return secondsToMs(Number(text), text);
  return parseUnits(text.startsWith('+') ? text.slice(1) : text, input);
}

function secondsToMs(seconds: number, shown: string): Result<number, string> {
  if (!Number.isFinite(seconds)) return err(`duration ${shown} is not a finite number`);
  if (seconds < 0) return err(`duration ${shown} is negative`);
  return ok(Math.round(seconds * 1000));
}

function parseUnits(text: string, original: string): Result<number, string> {
  let total = 0;
  let index = 0;
  while (index < text.length) {
    PART.lastIndex = index;
    const match = PART.exec(text);
    if (match === null) return err(`invalid duration "${original}": ${hint}`);
    const [whole, amount = '0', unit = 's'] = match;
    total += Number(amount) * (UNIT_MS[unit] ?? 0);
    index += whole.length;
  }
  if (!Number.isFinite(total)) return err(`duration "${original}" is too large`);
  return ok(Math.round(total));
}

/** Formats milliseconds the way Centrifugo configs write them: 90000 → "1m30s", 1500 → "1.5s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const parts = [hours > 0 ? `${hours}h` : '', minutes > 0 ? `${minutes}m` : '', seconds > 0 ? `${seconds}s` : ''];
  return parts.join('');
}
