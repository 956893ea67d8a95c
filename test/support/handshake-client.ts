/**
 * A client fleet in its own process (so its sockets race the supervisor for real): opens one
 * WebSocket per token, sends the connect frame in the same turn as the socket opens, and reports to
 * the parent how each ended — `replied`, `no reply` (none within the bound) or `closed`.
 */
import { WebSocket } from 'ws';

export type HandshakeOutcome = 'replied' | 'no reply' | 'closed';
export interface HandshakeJob {
  url: string;
  tokens: string[];
  inFlight: number;
  replyTimeoutMs: number;
}

function handshake(url: string, token: string, timeoutMs: number): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let settled = false;
    const settle = (o: HandshakeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.terminate();
      resolve(o);
    };
    const timer = setTimeout(() => settle('no reply'), timeoutMs);
    ws.on('open', () => ws.send(JSON.stringify({ connect: { token, name: 'handoff-test' }, id: 1 })));
    ws.on('message', (data: Buffer) => settle(String(data).includes('"connect"') ? 'replied' : 'closed'));
    ws.on('close', () => settle('closed'));
    ws.on('error', () => undefined);
  });
}

async function run(job: HandshakeJob): Promise<Record<string, number>> {
  const outcomes: Record<string, number> = {};
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < job.tokens.length) {
      const o = await handshake(job.url, job.tokens[next++]!, job.replyTimeoutMs);
      outcomes[o] = (outcomes[o] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: job.inFlight }, worker));
  return outcomes;
}

process.once('message', (job: HandshakeJob) => {
  void run(job).then((outcomes) => process.send!(outcomes, () => process.exit(0)));
});
process.on('disconnect', () => process.exit(0));
