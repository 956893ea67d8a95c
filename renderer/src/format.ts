/** Readable numbers: thousands separators, units, short durations. */
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const dec = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export const fmtInt = (n: number): string => int.format(n);

/** 1234 → "1,234"; 12.34 → "12.3"; rates keep one decimal below 10. */
export const fmtRate = (n: number): string => (n < 10 ? dec.format(n) : int.format(n));

export function fmtBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? int.format(v) : dec.format(v)} ${units[i]}`;
}

export function fmtDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

// One formatter for every call: toLocaleTimeString builds a new one each time, too slow for busy lists.
const clock = new Intl.DateTimeFormat('en-GB', { hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit' });
export const fmtTime = (at: number): string => clock.format(at);

export const fmtMs = (ms: number): string => (ms < 10 ? `${dec.format(ms)} ms` : `${int.format(ms)} ms`);

/** 1 → "1 user", 3 → "3 users" (with thousands separators). */
export const plural = (n: number, noun: string): string => `${int.format(n)} ${noun}${n === 1 ? '' : 's'}`;

/** One date-and-time format everywhere: "28 Nov 2026, 03:27:02". */
export const fmtDateTime = (at: number): string => {
  const d = new Date(at);
  return `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })}, ${fmtTime(at)}`;
};
