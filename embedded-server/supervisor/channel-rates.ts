/** Publications per channel per second (the console's message rates), and the running total. */
export class ChannelRates {
  private counts = new Map<string, number>();
  private rates = new Map<string, number>();
  total = 0;
  private lastTotal = 0;
  perSecond = 0;

  /** Counts one publication. */
  add(channel: string): void {
    this.counts.set(channel, (this.counts.get(channel) ?? 0) + 1);
    this.total++;
  }

  /** Closes the current second (`elapsedMs` since the last call). */
  tick(elapsedMs: number): void {
    const secs = Math.max(0.001, elapsedMs / 1000);
    const rates = new Map<string, number>();
    for (const [channel, n] of this.counts) rates.set(channel, n / secs);
    this.rates = rates;
    this.counts = new Map();
    this.perSecond = (this.total - this.lastTotal) / secs;
    this.lastTotal = this.total;
  }

  rate(channel: string): number {
    return this.rates.get(channel) ?? 0;
  }
}
