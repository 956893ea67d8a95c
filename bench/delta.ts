/**
 * `npm run bench:delta [-- --pubs=N --subs=M]`: what fossil delta compression saves on the wire and
 * costs the node. One node; M subscribers of a delta-negotiated channel and M plain subscribers of a
 * twin channel with the same options, raw WebSockets that count the bytes they receive; N
 * publications of two shapes through the server HTTP API, one at a time:
 * - `document`: a 60-row object, one row changed per publication (the shape deltas are for);
 * - `ticker`: a small object whose every field changes (where a delta does not pay, and is not sent).
 * Prints bytes per publication and subscriber with and without deltas and their ratio, and the
 * node's CPU per publication for each channel (from /proc, the node's own process). Writes
 * test-results/bench-delta.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import WebSocket from 'ws';
import { generateSecret, mintConnectionToken, resolveConfig, startCluster } from '../embedded-server/index.js';
import { cpuMicros } from './proc.js';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const PUBS = Number(args.get('pubs') ?? 300);
const SUBS = Number(args.get('subs') ?? 50);

const shapes = {
  document: (v: number) => ({
    version: v,
    title: 'Quarterly figures',
    rows: Array.from({ length: 60 }, (_, id) => ({ id, label: `row ${id}`, region: id % 2 ? 'north' : 'south', score: id === v % 60 ? v : id * 10 })),
  }),
  ticker: (v: number) => ({ symbol: 'ACME', price: 100 + ((v * 7919) % 1000) / 100, volume: (v * 104729) % 100000, at: 1_700_000_000_000 + v * 137 }),
} as const;

interface Counted {
  bytes: number;
  messages: number;
}

async function subscriber(url: string, token: string, channel: string, delta: boolean): Promise<{ ws: WebSocket; counted: Counted }> {
  const ws = new WebSocket(url);
  const counted: Counted = { bytes: 0, messages: 0 };
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let subscribed: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => { subscribed = resolve; });
  ws.on('message', (data: Buffer) => {
    const text = data.toString();
    if (text.includes('"subscribe"') || text.includes('"id":2')) subscribed();
    if (text.includes('"pub"')) {
      counted.bytes += data.length;
      counted.messages += text.split('\n').length;
    }
  });
  ws.send(`${JSON.stringify({ id: 1, connect: { token } })}\n${JSON.stringify({ id: 2, subscribe: { channel, ...(delta ? { delta: 'fossil' } : {}) } })}`);
  await ready;
  return { ws, counted };
}

async function main(): Promise<void> {
  const options = { history_size: 10, history_ttl: '60s', force_positioning: true, allow_subscribe_for_client: true, delta_publish: true };
  const resolved = resolveConfig({ channel: { namespaces: [
    { name: 'delta', ...options, allowed_delta_types: ['fossil'] },
    { name: 'plain', ...options },
  ] } }, { port: 0, adminPort: 0, nodes: 1 }, { tokenSecret: generateSecret(), apiKey: generateSecret() });
  if (!resolved.ok) throw new Error(resolved.error.join('\n'));
  const config = { ...resolved.value.config, nodes: 1 };
  const cluster = await startCluster(config);
  const nodePid = cluster.nodes()[0]!.pid;
  const url = cluster.clientUrl;
  const api = `http://127.0.0.1:${cluster.port}/api/publish`;
  const results: Record<string, unknown> = { pubs: PUBS, subs: SUBS, cpus: os.cpus().length, load: os.loadavg()[0] };
  const sockets: WebSocket[] = [];
  try {
    const token = await mintConnectionToken({ secret: config.client.tokenHmacSecret, user: 'bench' });
    for (const [shape, make] of Object.entries(shapes)) {
      const row: Record<string, number> = {};
      for (const kind of ['plain', 'delta'] as const) {
        const channel = `${kind}:${shape}`;
        const subs = await Promise.all(Array.from({ length: SUBS }, () => subscriber(url, token, channel, kind === 'delta')));
        sockets.push(...subs.map((s) => s.ws));
        const cpuBefore = cpuMicros(nodePid) ?? 0;
        for (let v = 1; v <= PUBS; v++) {
          const res = await fetch(api, { method: 'POST', headers: { 'X-API-Key': config.apiKey }, body: JSON.stringify({ channel, data: make(v) }) });
          if (res.status !== 200) throw new Error(`publish answered ${res.status}`);
        }
        const deadline = Date.now() + 30_000;
        while (subs.some((s) => s.counted.messages < PUBS) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        const cpu = (cpuMicros(nodePid) ?? 0) - cpuBefore;
        const bytes = subs.reduce((n, s) => n + s.counted.bytes, 0);
        row[`${kind}BytesPerPub`] = Math.round(bytes / (PUBS * SUBS));
        row[`${kind}NodeCpuMicrosPerPub`] = Math.round(cpu / PUBS);
        for (const s of subs) s.ws.close();
      }
      row.bytesRatio = Number((row.deltaBytesPerPub! / row.plainBytesPerPub!).toFixed(3));
      row.cpuRatio = Number((row.deltaNodeCpuMicrosPerPub! / Math.max(1, row.plainNodeCpuMicrosPerPub!)).toFixed(2));
      results[shape] = row;
      process.stdout.write(`${shape.padEnd(9)} bytes/pub/subscriber: plain ${row.plainBytesPerPub}, delta ${row.deltaBytesPerPub} (${row.bytesRatio}×) · node CPU/pub (${SUBS} subscribers): plain ${row.plainNodeCpuMicrosPerPub} µs, delta ${row.deltaNodeCpuMicrosPerPub} µs (${row.cpuRatio}×)\n`);
    }
  } finally {
    for (const ws of sockets) ws.terminate();
    await cluster.stop();
  }
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/bench-delta.json', `${JSON.stringify(results, null, 2)}\n`);
}

await main();
