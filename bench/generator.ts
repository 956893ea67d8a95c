/**
 * The load generator: one process, forked by the bench, holding every client of a run. The same
 * thin client for every peer — `ws` with one `JSON.parse` per JSON object received (a Switchboard
 * frame may carry several, split on "\n"; a Socket.IO packet is its type digits and one JSON array),
 * so the generator's cost per message is the same whichever server it measures.
 *
 * Publications carry `{seq, t}`: `t` is `process.hrtime` in µs (monotonic, one clock for every
 * process on the machine), so publish→receive latency crosses processes without skew. Every
 * subscriber checks the seqs it receives against what was published: lost, duplicated, out of order.
 *
 * Commands come over IPC (see `GeneratorCommand`); each is answered with `{id, ok, ...}`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { mintConnectionToken } from '../embedded-server/index.js';
import { Histogram } from './stats.js';

export type ClientKind = 'raw' | 'sio' | 'sb';

export interface ConnectRequest {
  kind: ClientKind;
  url: string;
  /**
   * Several addresses (supervisors on one Redis): client i connects to `urls[i % length]`, and after
   * a lost connection reconnects to the next one in the list — a client given every supervisor's
   * address. Absent: `url` alone.
   */
  urls?: string[];
  count: number;
  concurrency: number;
  /** Client i subscribes to channels[i % length]; none: the client only connects (idle). */
  channels?: string[];
  /** Switchboard: the HMAC secret tokens are minted with (users `u<index>`). */
  tokenSecret?: string;
  /** Reconnect like centrifuge-js after a lost connection (Switchboard only): backoff bounds in ms. */
  reconnect?: { minDelayMs: number; maxDelayMs: number };
  /**
   * Several channels per client (the chat shape): client i subscribes to every channel of
   * `channelSets[i % length]` (indices into `channelNames`), and is ready once all are acknowledged.
   * Set: `channels` is ignored.
   */
  channelSets?: number[][];
  channelNames?: string[];
}

export type GeneratorCommand =
  | { t: 'connect'; req: ConnectRequest }
  | { t: 'alive' }
  | { t: 'step.begin'; first: number; count: number; startUs: number; inTimeUs: number }
  | { t: 'step.end'; drainMs: number }
  | { t: 'quiet'; quietMs: number; maxMs: number }
  | { t: 'failover.arm'; killedAtUs: number }
  | { t: 'failover.status' }
  | { t: 'failover.check'; published: number[]; drainMs: number }
  | { t: 'exit' }
  | ShapeCommand;

export interface ConnectResult {
  connected: number;
  failed: number;
  /** From the first connection attempt to the last successful handshake. */
  ms: number;
  /** Up to 5 reasons of failed handshakes, with their counts. */
  failures: string[];
  /** Handshakes that failed and were tried again (a second connection), and why. */
  retried: number;
  retries: string[];
  /** Tokens minted before the timed part (Switchboard), ms. */
  tokenMs: number;
}

export interface StepResult {
  expected: number;
  delivered: number;
  /** Delivered before the step's deadline (the last publication's due time + a grace). */
  inTime: number;
  duplicates: number;
  outOfOrder: number;
  /** Deliveries of seqs outside the step (late ones of an earlier step). */
  stray: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  /** µs from the step's first publication to its last delivery. */
  spanUs: number;
  disconnects: number;
  /**
   * Subscriptions the server ended with an `unsubscribe` push during the step (e.g. 2500
   * "insufficient state": the node believes it missed publications). The thin client does not
   * resubscribe, so what that subscriber misses afterwards counts as lost.
   */
  serverUnsubscribes: number;
  subscribers: number;
  /** The generator's own event-loop lag over the step (see {@link LagMeter}). */
  lag: GeneratorLag;
}

/** The generator's event-loop lag over a measurement: how late a 10 ms timer ran, ms. */
export interface GeneratorLag {
  p99Ms: number;
  maxMs: number;
}

export interface FailoverStatus {
  clients: number;
  open: number;
  affected: number;
  recovered: number;
  notRecovered: number;
}

export interface FailoverResult extends FailoverStatus {
  /** ms from the kill to back and recovered, per affected client that recovered. */
  recoveryMs: number[];
  /** ms from the kill, per affected client: connection lost, socket open again, connect reply. */
  phasesMs: { lost: number[]; reopened: number[]; reconnected: number[] };
  /** Per affected client that recovered, the times of its way back (same order as `recoveryMs`). */
  tracks: RecoveryTrack[];
  /** Attempts closed by centrifuge-js's connect timeout, by what had not arrived in time. */
  timeouts: ConnectTimeouts;
  /** The generator's event-loop lag from the arming (before the kill) to the check. */
  lag: GeneratorLag;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  reconnectAttempts: number;
  connectErrors: number;
  /** `unsubscribe` pushes the clients received, and the resubscribes they made for them (codes ≥ 2500). */
  serverUnsubscribes: number;
  resubscribes: number;
}

/**
 * One affected client's way back, ms from the kill: (a) its socket closed, (b) the first backoff
 * delay it chose (a duration) and when that first redial started, (c) when the dial of the socket
 * that opened started and when it opened (TCP + upgrade, the gateway's hand-off included), (d) the
 * connect reply, (e) the subscribe reply with `recovered: true`. `dials`: sockets it dialled after
 * the loss (1 when the first one made it).
 */
export interface RecoveryTrack {
  lost: number;
  backoff: number;
  firstDial: number;
  openDial: number;
  opened: number;
  connected: number;
  recovered: number;
  dials: number;
}

export interface ConnectTimeouts {
  /** No `open` within the timeout of the dial. */
  open: number;
  /** Open, but no connect reply within the timeout of sending the connect command. */
  connect: number;
  /** Connected, but no subscribe reply within the timeout of sending the subscribe command. */
  subscribe: number;
}

const HANDSHAKE_TIMEOUT_MS = 5000;
/** A failed handshake is tried again (as a real client would reconnect) this many times; retries are counted. */
const HANDSHAKE_RETRIES = 2;

/**
 * centrifuge-js 5.8's `timeout` option, default 5000 (node_modules/centrifuge/build/index.js:4436).
 * It bounds, per reconnect attempt: the socket's opening (a timer set when the transport is
 * created, cleared by its open callback, index.js:5437-5462: `failTransport('connect timeout')`);
 * the connect command, sent when the socket opens (`_registerCall`, index.js:6956-6977, rejected
 * with code 1 → `_connectError` → `_disconnect(..., reconnect: true)`, index.js:5791-5825); and the
 * subscribe command (index.js:1039-1044, a timeout → `_disconnect(subscribeTimeout, ..., true)`,
 * index.js:1322-1324). Each closes the attempt and redials after the reconnect backoff. A timer that
 * runs ≥ 1 s late (the event loop was blocked) gives the reply 1 s of grace, else one turn
 * (index.js:4444-4447) — modelled the same way here, since the generator's own lag is real.
 */
export const CONNECT_TIMEOUT_MS = 5000;
const LATE_TIMER_MS = 1000;
const LATE_GRACE_MS = 1000;

/**
 * The generator's event-loop lag: `monitorEventLoopDelay` with a 10 ms resolution records the
 * interval between its timer's runs; lag = that interval − 10 ms (0 when on time).
 */
class LagMeter {
  private static readonly RESOLUTION_MS = 10;
  private readonly h = monitorEventLoopDelay({ resolution: LagMeter.RESOLUTION_MS });

  start(): void {
    this.h.disable();
    this.h.reset();
    this.h.enable();
  }

  read(): GeneratorLag {
    this.h.disable();
    const ms = (ns: number): number => (this.h.count === 0 ? Number.NaN : Math.max(0, ns / 1e6 - LagMeter.RESOLUTION_MS));
    return { p99Ms: ms(this.h.percentile(99)), maxMs: ms(this.h.max) };
  }
}

const stepLag = new LagMeter();
const failoverLag = new LagMeter();

const nowUs = (): number => {
  const [s, ns] = process.hrtime();
  return s * 1e6 + ns / 1e3;
};

interface Pub {
  seq: number;
  t: number;
  /** Chat shape: the channel's index (its seq is per channel). */
  c?: number;
}

/** Fan-out accounting of one rate step. */
class Step {
  readonly seen: Uint8Array;
  readonly hist = new Histogram();
  delivered = 0;
  inTime = 0;
  duplicates = 0;
  outOfOrder = 0;
  stray = 0;
  lastUs = 0;
  disconnects = 0;
  serverUnsubscribes = 0;

  constructor(
    readonly first: number, readonly count: number, readonly subscribers: number,
    readonly startUs: number, readonly inTimeUs: number,
  ) {
    this.seen = new Uint8Array(subscribers * count);
  }

  record(c: Client, seq: number, latUs: number, at: number): void {
    const k = seq - this.first;
    if (k < 0 || k >= this.count || c.slot < 0) {
      this.stray++;
      return;
    }
    if (seq < c.lastSeq) this.outOfOrder++;
    else c.lastSeq = seq;
    const i = c.slot * this.count + k;
    if (this.seen[i] !== 0) {
      this.duplicates++;
      return;
    }
    this.seen[i] = 1;
    this.delivered++;
    if (at <= this.inTimeUs) this.inTime++;
    this.hist.add(latUs);
    this.lastUs = at;
  }
}

/** Failover accounting: per-client seqs on its channel, and the recovery after the kill. */
class Failover {
  killedAtUs = 0;
  armed = false;
  duplicates = 0;
  outOfOrder = 0;
  reconnectAttempts = 0;
  connectErrors = 0;
  /** `unsubscribe` pushes received; those with a code ≥ 2500 were resubscribed, as centrifuge-js does. */
  serverUnsubscribes = 0;
  resubscribes = 0;
  readonly timeouts: ConnectTimeouts = { open: 0, connect: 0, subscribe: 0 };

  record(c: Client, seq: number): void {
    if (seq >= c.seen.length) {
      const grown = new Uint8Array(Math.max(seq + 1, c.seen.length * 2));
      grown.set(c.seen);
      c.seen = grown;
    }
    if (c.seen[seq] !== 0) {
      this.duplicates++;
      return;
    }
    if (seq < c.lastSeq) this.outOfOrder++;
    else c.lastSeq = seq;
    c.seen[seq] = 1;
    c.unique++;
  }
}

let step: Step | null = null;
let failover: Failover | null = null;
const clients: Client[] = [];

/** A thin client of one peer's protocol. */
class Client {
  ws: WebSocket | null = null;
  ready = false;
  lastSeq = 0;
  /** Position among the subscribers of the current step; -1: not counted (was not ready at its start). */
  slot = -1;
  // Switchboard
  private cmdId = 0;
  private connectId = 0;
  private subscribeId = 0;
  offset = 0;
  epoch = '';
  // Failover
  seen = new Uint8Array(0);
  unique = 0;
  affected = false;
  recoveredAtUs = 0;
  /** Failover phases (hrtime µs): connection lost, first socket open again, connect reply. */
  lostAtUs = 0;
  reopenedAtUs = 0;
  reconnectedAtUs = 0;
  /** The way back after the loss (see {@link RecoveryTrack}): first backoff, first redial, the dial that opened, dials. */
  firstDelayMs = 0;
  firstDialAtUs = 0;
  openDialAtUs = 0;
  dialsAfterLoss = 0;
  private dialAtUs = 0;
  /** centrifuge-js's connect timeout of the attempt under way (reconnects only). */
  private attemptTimer: NodeJS.Timeout | null = null;
  notRecovered = false;
  private attempts = 0;
  private sentRecover = false;
  private closedByUs = false;
  private onReady: ((ok: boolean) => void) | null = null;
  /** Why the handshake failed, and how far it got (for the report). */
  failure = '';
  private progress = 'opening';
  readyAtUs = 0;
  // Several channels (chat shape): the channel indices, the names after the first, and how many
  // subscribe acknowledgements the client still waits for before it is ready.
  chatIds: number[] = [];
  more: string[] = [];
  /** Chat accounting: index of this client's first subscription in the step's arrays; -1: not counted. */
  chatSlot = -1;
  private subsLeft = 0;

  constructor(
    readonly index: number,
    readonly req: ConnectRequest,
    readonly channel: string | null,
    readonly token: string,
  ) {
    this.urlIndex = index;
  }

  /** Opens the socket and does the handshake; resolves true once connected (and subscribed). */
  start(): Promise<boolean> {
    this.failure = '';
    this.progress = 'opening';
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.failure = `no handshake in ${HANDSHAKE_TIMEOUT_MS} ms (${this.progress})`;
        this.settle(false);
        this.ws?.terminate();
      }, HANDSHAKE_TIMEOUT_MS);
      this.onReady = (ok) => {
        clearTimeout(timer);
        resolve(ok);
      };
      this.open();
    });
  }

  private settle(ok: boolean): void {
    const done = this.onReady;
    this.onReady = null;
    if (ok) {
      this.ready = true;
      if (this.readyAtUs === 0) this.readyAtUs = nowUs();
    }
    done?.(ok);
  }

  /** Which of `req.urls` this client uses now: its own index at first, the next one after each lost connection. */
  private urlIndex: number;

  private open(): void {
    const urls = this.req.urls;
    const url = urls && urls.length > 0 ? urls[this.urlIndex % urls.length]! : this.req.url;
    const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
    this.ws = ws;
    this.dialAtUs = nowUs();
    if (this.affected) {
      this.dialsAfterLoss++;
      if (this.firstDialAtUs === 0) this.firstDialAtUs = this.dialAtUs;
    }
    if (this.redialling()) this.armAttemptTimeout('open');
    ws.on('open', () => this.onOpen());
    ws.on('message', (data: Buffer) => this.onMessage(data.toString()));
    ws.on('error', (e: Error) => {
      if (!this.ready) this.failure ||= `socket error: ${e.message}`;
    });
    ws.on('unexpected-response', (_req, res) => {
      this.failure = `HTTP ${res.statusCode} instead of an upgrade`;
      ws.terminate();
    });
    ws.on('close', (code: number) => {
      if (!this.ready) this.failure ||= `closed (${code}) during the handshake (${this.progress})`;
      this.onClose(ws);
    });
  }

  private onOpen(): void {
    this.progress = 'open, no reply';
    if (this.affected && this.reopenedAtUs === 0) {
      this.reopenedAtUs = nowUs();
      this.openDialAtUs = this.dialAtUs;
    }
    this.subsLeft = this.channel === null ? 0 : 1 + this.more.length;
    switch (this.req.kind) {
      case 'raw':
        if (this.channel === null) this.settle(true);
        else for (const ch of [this.channel, ...this.more]) this.ws!.send(JSON.stringify({ subscribe: ch }));
        return;
      case 'sio':
        return; // waits for the engine.io open packet
      case 'sb': {
        const frames: string[] = [];
        this.connectId = ++this.cmdId;
        frames.push(JSON.stringify({ connect: { token: this.token, name: 'bench' }, id: this.connectId }));
        if (this.channel !== null) frames.push(this.subscribeFrame(this.channel));
        for (const ch of this.more) frames.push(JSON.stringify({ subscribe: { channel: ch }, id: ++this.cmdId }));
        this.ws!.send(frames.join('\n'));
        if (this.redialling()) this.armAttemptTimeout('connect');
        return;
      }
    }
  }

  /** A subscribe command; like centrifuge-js on resubscribe, with the position it has, to recover what it missed. */
  private subscribeFrame(channel: string): string {
    this.subscribeId = ++this.cmdId;
    const sub: Record<string, unknown> = { channel };
    this.sentRecover = this.epoch !== '';
    if (this.sentRecover) {
      sub.recover = true;
      if (this.offset > 0) sub.offset = this.offset;
      sub.epoch = this.epoch;
    }
    return JSON.stringify({ subscribe: sub, id: this.subscribeId });
  }

  /**
   * An `unsubscribe` push, as centrifuge-js (5.8) handles it: a code below 2500 leaves the
   * subscription ended; 2502 "state invalidated" subscribes afresh; any other code ≥ 2500 (2500
   * "insufficient state") resubscribes at once with `recover` from the position it has.
   */
  private onServerUnsubscribe(code: number): void {
    if (step !== null) step.serverUnsubscribes++;
    if (failover === null) return;
    failover.serverUnsubscribes++;
    if (code < 2500 || this.channel === null || this.ws === null) return;
    if (code === 2502) {
      this.epoch = '';
      this.offset = 0;
    }
    failover.resubscribes++;
    this.ws.send(this.subscribeFrame(this.channel));
  }

  private onMessage(text: string): void {
    switch (this.req.kind) {
      case 'raw': return this.onRaw(text);
      case 'sio': return this.onSio(text);
      case 'sb': return this.onSb(text);
    }
  }

  /** Raw ws: one JSON object a frame; the coalesced peer joins a turn's objects with "\n" (split as for Switchboard). */
  private onRaw(text: string): void {
    if (text.indexOf('\n') < 0) {
      this.onRawLine(text);
      return;
    }
    for (const line of text.split('\n')) if (line !== '') this.onRawLine(line);
  }

  private onRawLine(text: string): void {
    const m = JSON.parse(text) as { data?: Pub; subscribed?: string };
    if (m.data !== undefined) this.onPub(m.data, nowUs());
    else if (m.subscribed !== undefined) this.subscribedOne();
  }

  private onSio(text: string): void {
    // engine.io packet type, then socket.io packet type: "42[…]" event, "43<id>[…]" ack, "40{…}" connect.
    if (text.charCodeAt(0) === 52 /* 4 */) {
      const sub = text.charCodeAt(1);
      if (sub === 50 /* 2 event */) {
        const arr = JSON.parse(text.slice(2)) as [string, { data: Pub }];
        if (arr[0] === 'pub') this.onPub(arr[1].data, nowUs());
        return;
      }
      if (sub === 51 /* 3 ack */) {
        this.subscribedOne();
        return;
      }
      if (sub === 48 /* 0 connect */) {
        if (this.channel === null) this.settle(true);
        else [this.channel, ...this.more].forEach((ch, k) => this.ws!.send(`42${k + 1}${JSON.stringify(['subscribe', ch])}`));
        return;
      }
      return;
    }
    if (text === '2') {
      this.ws!.send('3'); // engine.io ping → pong
      return;
    }
    if (text.charCodeAt(0) === 48 /* 0 open */) this.ws!.send('40');
  }

  private onSb(text: string): void {
    if (text.indexOf('\n') < 0) {
      this.onSbLine(text);
      return;
    }
    for (const line of text.split('\n')) if (line !== '') this.onSbLine(line);
  }

  private onSbLine(line: string): void {
    if (line === '{}') {
      this.ws!.send('{}'); // ping → pong
      return;
    }
    const m = JSON.parse(line) as SbMessage;
    const push = m.push;
    if (push !== undefined) {
      const pub = push.pub;
      if (pub !== undefined) {
        if (pub.offset !== undefined) this.offset = pub.offset;
        this.onPub(pub.data, nowUs());
      } else if (push.unsubscribe !== undefined) {
        this.onServerUnsubscribe(push.unsubscribe.code ?? 0);
      }
      return;
    }
    if (m.id === undefined) return;
    if (m.error !== undefined) {
      this.failure = `error reply ${JSON.stringify(m.error)}`;
      if (failover) failover.connectErrors++;
      this.ws?.close();
      if (!failover) this.settle(false);
      return;
    }
    if (m.id === this.connectId && m.connect !== undefined) {
      this.progress = 'connected, no subscribe reply';
      if (this.affected && this.reconnectedAtUs === 0) this.reconnectedAtUs = nowUs();
      // centrifuge-js resets its backoff at the connect reply (index.js:6511).
      this.attempts = 0;
      // The subscribe went out with the connect (as centrifuge-js batches both at open, index.js:5474-5475),
      // so the same timer, started at open, now waits for its reply.
      if (this.channel === null) {
        this.clearAttemptTimeout();
        this.settle(true);
      }
      return;
    }
    if (m.subscribe !== undefined && m.id > this.connectId && m.id !== this.subscribeId) {
      this.subscribedOne(); // one of the chat shape's further channels
      return;
    }
    if (m.id === this.subscribeId && m.subscribe !== undefined) {
      const r = m.subscribe;
      if (this.sentRecover) {
        if (r.recovered === true) {
          for (const p of r.publications ?? []) {
            if (p.offset !== undefined) this.offset = p.offset;
            this.onPub(p.data, nowUs());
          }
          if (this.affected && this.recoveredAtUs === 0) this.recoveredAtUs = nowUs();
        } else {
          this.notRecovered = true;
          if (r.offset !== undefined) this.offset = r.offset;
        }
      } else if (r.offset !== undefined) {
        this.offset = r.offset;
      }
      if (r.epoch !== undefined) this.epoch = r.epoch;
      this.clearAttemptTimeout();
      this.subscribedOne();
    }
  }

  /** One subscribe acknowledged; the client is ready once every channel of it is. */
  private subscribedOne(): void {
    if (--this.subsLeft <= 0) this.settle(true);
  }

  private onPub(data: Pub, at: number): void {
    if (chat !== null && data.c !== undefined) chat.record(this, data.c, data.seq, at - data.t, at);
    else if (step !== null) step.record(this, data.seq, at - data.t, at);
    else if (failover !== null) failover.record(this, data.seq);
  }

  private onClose(ws: WebSocket): void {
    if (ws !== this.ws) return;
    this.clearAttemptTimeout();
    const wasReady = this.ready;
    this.ready = false;
    this.ws = null;
    if (!wasReady) this.settle(false);
    if (step !== null && wasReady) step.disconnects++;
    if (chat !== null && wasReady) chat.disconnects++;
    // Reconnects only once it was up: a failed first handshake is retried by `connect`.
    if (this.closedByUs || !this.req.reconnect || failover === null || this.readyAtUs === 0) return;
    if (failover.armed && wasReady && !this.affected) {
      this.affected = true;
      this.lostAtUs = nowUs();
    }
    // centrifuge-js: full-jitter exponential backoff between min and max (utils.ts `backoff`).
    const { minDelayMs, maxDelayMs } = this.req.reconnect;
    const step2 = Math.min(this.attempts, 31);
    const delay = Math.min(maxDelayMs, minDelayMs + Math.floor(Math.random() * (Math.min(maxDelayMs, minDelayMs * 2 ** step2) + 1)));
    this.attempts++;
    this.urlIndex++;
    failover.reconnectAttempts++;
    if (this.affected && this.firstDelayMs === 0) this.firstDelayMs = delay;
    setTimeout(() => {
      if (!this.closedByUs) this.open();
    }, delay);
  }

  /** A reconnect attempt of the failover client (not the first connect, which `connect` bounds and retries). */
  private redialling(): boolean {
    return this.req.kind === 'sb' && this.req.reconnect !== undefined && failover !== null && this.readyAtUs !== 0;
  }

  /** centrifuge-js's connect timeout ({@link CONNECT_TIMEOUT_MS}): what has not arrived in time closes the attempt, which redials after the backoff. */
  private armAttemptTimeout(what: keyof ConnectTimeouts): void {
    this.clearAttemptTimeout();
    const ws = this.ws;
    const due = Date.now() + CONNECT_TIMEOUT_MS;
    this.attemptTimer = setTimeout(() => {
      const late = Date.now() - due >= LATE_TIMER_MS;
      this.attemptTimer = setTimeout(() => {
        this.attemptTimer = null;
        if (ws === null || ws !== this.ws) return;
        const missing = what === 'connect' && this.progress.startsWith('connected') ? 'subscribe' : what;
        if (failover) failover.timeouts[missing]++;
        this.failure = `connect timeout (${missing})`;
        ws.terminate();
        this.onClose(ws); // at once: a socket still connecting may not say 'close' soon
      }, late ? LATE_GRACE_MS : 0);
    }, CONNECT_TIMEOUT_MS);
  }

  private clearAttemptTimeout(): void {
    if (this.attemptTimer !== null) clearTimeout(this.attemptTimer);
    this.attemptTimer = null;
  }

  close(): void {
    this.closedByUs = true;
    this.clearAttemptTimeout();
    this.ws?.terminate();
  }
}

interface SbPub {
  data: Pub;
  offset?: number;
}

interface SbMessage {
  id?: number;
  error?: { code: number; message: string };
  connect?: Record<string, unknown>;
  subscribe?: { epoch?: string; offset?: number; recovered?: boolean; publications?: SbPub[] };
  push?: { channel?: string; pub?: SbPub; unsubscribe?: { code?: number } };
}

async function connect(req: ConnectRequest): Promise<ConnectResult> {
  const first = clients.length;
  let tokens: string[] = [];
  const t0 = performance.now();
  if (req.kind === 'sb') {
    const secret = req.tokenSecret ?? '';
    tokens = await Promise.all(Array.from({ length: req.count }, (_, i) => mintConnectionToken({ secret, user: `u${first + i}` })));
  }
  const tokenMs = performance.now() - t0;
  const batch: Client[] = [];
  for (let i = 0; i < req.count; i++) {
    const index = first + i;
    const channel = req.channels && req.channels.length > 0 ? req.channels[index % req.channels.length]! : null;
    const set = req.channelSets && req.channelSets.length > 0 ? req.channelSets[index % req.channelSets.length]! : null;
    const c = new Client(index, req, set ? req.channelNames![set[0]!]! : channel, tokens[i] ?? '');
    if (set) {
      c.chatIds = set;
      c.more = set.slice(1).map((k) => req.channelNames![k]!);
    }
    clients.push(c);
    batch.push(c);
  }
  const start = performance.now();
  let failed = 0;
  let retried = 0;
  const retryReasons = new Map<string, number>();
  let next = 0;
  await new Promise<void>((resolve) => {
    let inFlight = 0;
    let done = 0;
    if (batch.length === 0) return resolve();
    const launch = (): void => {
      while (inFlight < req.concurrency && next < batch.length) {
        const c = batch[next++]!;
        inFlight++;
        const attempt = (tries: number): void => {
          void c.start().then((ok) => {
            if (!ok && tries < HANDSHAKE_RETRIES) {
              retried++;
              retryReasons.set(c.failure, (retryReasons.get(c.failure) ?? 0) + 1);
              attempt(tries + 1);
              return;
            }
            inFlight--;
            done++;
            if (!ok) failed++;
            if (done === batch.length) resolve();
            else launch();
          });
        };
        attempt(0);
      }
    };
    launch();
  });
  const startUs = nowUs() - (performance.now() - start) * 1000;
  const lastReady = batch.reduce((m, c) => Math.max(m, c.readyAtUs), startUs);
  const reasons = new Map<string, number>();
  for (const c of batch) if (!c.ready && c.failure) reasons.set(c.failure, (reasons.get(c.failure) ?? 0) + 1);
  const failures = [...reasons].slice(0, 5).map(([r, n]) => `${n}× ${r}`);
  const retries = [...retryReasons].slice(0, 5).map(([r, n]) => `${n}× ${r}`);
  return { connected: batch.length - failed, failed, retried, ms: (lastReady - startUs) / 1000, tokenMs, failures, retries };
}

function endStep(drainMs: number): Promise<StepResult> {
  const s = step!;
  const expected = s.subscribers * s.count;
  const deadline = performance.now() + drainMs;
  return new Promise((resolve) => {
    const check = (): void => {
      if (s.delivered < expected && performance.now() < deadline) {
        setTimeout(check, 10);
        return;
      }
      step = null;
      resolve({
        expected,
        delivered: s.delivered,
        inTime: s.inTime,
        duplicates: s.duplicates,
        outOfOrder: s.outOfOrder,
        stray: s.stray,
        p50Us: s.hist.percentile(50),
        p99Us: s.hist.percentile(99),
        maxUs: s.hist.max,
        spanUs: s.lastUs > 0 ? s.lastUs - s.startUs : 0,
        disconnects: s.disconnects,
        serverUnsubscribes: s.serverUnsubscribes,
        subscribers: s.subscribers,
        lag: stepLag.read(),
      });
    };
    check();
  });
}

/** Resolves once no message arrived for `quietMs` (bounded by `maxMs`): a backlog has drained. */
function quiet(quietMs: number, maxMs: number): Promise<{ ms: number }> {
  const start = performance.now();
  let last = performance.now();
  const mark = (): void => {
    last = performance.now();
  };
  for (const c of clients) c.ws?.on('message', mark);
  return new Promise((resolve) => {
    const check = (): void => {
      const now = performance.now();
      if (now - last < quietMs && now - start < maxMs) {
        setTimeout(check, 20);
        return;
      }
      for (const c of clients) c.ws?.off('message', mark);
      resolve({ ms: now - start });
    };
    check();
  });
}

function failoverStatus(): FailoverStatus {
  let open = 0;
  let affected = 0;
  let recovered = 0;
  let notRecovered = 0;
  for (const c of clients) {
    if (c.ready) open++;
    if (c.affected) affected++;
    if (c.recoveredAtUs > 0) recovered++;
    if (c.notRecovered) notRecovered++;
  }
  return { clients: clients.length, open, affected, recovered, notRecovered };
}

/** Waits (bounded) until every client has every seq of its channel, then counts what is missing. */
function failoverCheck(published: number[], drainMs: number): Promise<FailoverResult> {
  const f = failover!;
  const lag = failoverLag.read();
  const expectedOf = (c: Client): number => published[c.index % published.length] ?? 0;
  const deadline = performance.now() + drainMs;
  return new Promise((resolve) => {
    const check = (): void => {
      const missing = clients.some((c) => c.unique < expectedOf(c));
      if (missing && performance.now() < deadline) {
        setTimeout(check, 50);
        return;
      }
      let lost = 0;
      for (const c of clients) {
        const n = expectedOf(c);
        for (let seq = 1; seq <= n; seq++) if (c.seen[seq] !== 1) lost++;
      }
      const since = (at: number): number => (at - f.killedAtUs) / 1000;
      const affected = clients.filter((c) => c.affected);
      const recoveryMs = affected.filter((c) => c.recoveredAtUs > 0).map((c) => since(c.recoveredAtUs));
      const phase = (f2: (c: Client) => number): number[] => affected.map(f2).filter((t) => t > 0).map(since);
      const phasesMs = { lost: phase((c) => c.lostAtUs), reopened: phase((c) => c.reopenedAtUs), reconnected: phase((c) => c.reconnectedAtUs) };
      const tracks = affected.filter((c) => c.recoveredAtUs > 0).map((c) => recoveryTrack(c, since));
      resolve({
        ...failoverStatus(),
        recoveryMs,
        phasesMs,
        tracks,
        timeouts: { ...f.timeouts },
        lag,
        lost,
        duplicates: f.duplicates,
        outOfOrder: f.outOfOrder,
        reconnectAttempts: f.reconnectAttempts,
        connectErrors: f.connectErrors,
        serverUnsubscribes: f.serverUnsubscribes,
        resubscribes: f.resubscribes,
      });
    };
    check();
  });
}

/** A recovered client's way back, ms from the kill (NaN for a phase it has no time for). */
function recoveryTrack(c: Client, since: (atUs: number) => number): RecoveryTrack {
  const t = (at: number): number => (at > 0 ? since(at) : Number.NaN);
  return {
    lost: t(c.lostAtUs), backoff: c.firstDelayMs, firstDial: t(c.firstDialAtUs), openDial: t(c.openDialAtUs), opened: t(c.reopenedAtUs),
    connected: t(c.reconnectedAtUs), recovered: t(c.recoveredAtUs), dials: c.dialsAfterLoss,
  };
}


// ─── shapes (chat, soak): per-channel seqs over several channels per client; latency per window ───

/** The chat and soak workloads' commands (bench/chat.ts, bench/soak.ts). */
export type ShapeCommand =
  | { t: 'chat.begin'; firsts: number[]; counts: number[]; startUs: number; inTimeUs: number }
  | { t: 'chat.end'; drainMs: number }
  | { t: 'soak.begin'; first: number; count: number; startUs: number; inTimeUs: number; windowUs: number }
  | { t: 'soak.windows' };

/** Latency of the publications published in one window of a soak step. */
export interface WindowStats {
  delivered: number;
  p50Us: number;
  p99Us: number;
}

/**
 * Chat accounting of one rate step: every channel has its own seqs (`firsts[c]` … + `counts[c]`);
 * each subscription (client × channel) checks its channel's seqs: lost, duplicated, out of order.
 */
class ChatStep {
  readonly hist = new Histogram();
  readonly seen: Uint8Array;
  /** Per subscription: where its seqs start in `seen`, and the last seq it got. */
  private readonly base: Int32Array;
  private readonly last: Int32Array;
  readonly expected: number;
  readonly subscribers: number;
  delivered = 0;
  inTime = 0;
  duplicates = 0;
  outOfOrder = 0;
  stray = 0;
  lastUs = 0;
  disconnects = 0;

  constructor(private readonly firsts: number[], private readonly counts: number[], readonly startUs: number, private readonly inTimeUs: number) {
    let subs = 0;
    let clientsCounted = 0;
    for (const c of clients) {
      c.chatSlot = c.ready ? subs : -1;
      if (c.ready) {
        subs += c.chatIds.length;
        clientsCounted++;
      }
    }
    this.subscribers = clientsCounted;
    this.base = new Int32Array(subs);
    this.last = new Int32Array(subs);
    let offset = 0;
    for (const c of clients) {
      if (c.chatSlot < 0) continue;
      c.chatIds.forEach((ch, j) => {
        this.base[c.chatSlot + j] = offset;
        offset += counts[ch] ?? 0;
      });
    }
    this.expected = offset;
    this.seen = new Uint8Array(offset);
  }

  record(c: Client, ch: number, seq: number, latUs: number, at: number): void {
    const j = c.chatSlot < 0 ? -1 : c.chatIds.indexOf(ch);
    const k = seq - (this.firsts[ch] ?? 0);
    if (j < 0 || k < 0 || k >= (this.counts[ch] ?? 0)) {
      this.stray++;
      return;
    }
    const sub = c.chatSlot + j;
    if (seq < this.last[sub]!) this.outOfOrder++;
    else this.last[sub] = seq;
    const i = this.base[sub]! + k;
    if (this.seen[i] !== 0) {
      this.duplicates++;
      return;
    }
    this.seen[i] = 1;
    this.delivered++;
    if (at <= this.inTimeUs) this.inTime++;
    this.hist.add(latUs);
    this.lastUs = at;
  }
}

/** A fan-out step that also keeps a latency histogram per window of publication time (the soak). */
class WindowedStep extends Step {
  readonly windows: Histogram[] = [];

  constructor(first: number, count: number, subscribers: number, startUs: number, inTimeUs: number, private readonly windowUs: number) {
    super(first, count, subscribers, startUs, inTimeUs);
  }

  override record(c: Client, seq: number, latUs: number, at: number): void {
    const before = this.delivered;
    super.record(c, seq, latUs, at);
    if (this.delivered === before) return;
    const w = Math.max(0, Math.floor((at - latUs - this.startUs) / this.windowUs));
    (this.windows[w] ??= new Histogram()).add(latUs);
  }
}

let chat: ChatStep | null = null;
let lastSoak: WindowedStep | null = null;

function endChat(drainMs: number): Promise<StepResult> {
  const s = chat!;
  const deadline = performance.now() + drainMs;
  return new Promise((resolve) => {
    const check = (): void => {
      if (s.delivered < s.expected && performance.now() < deadline) {
        setTimeout(check, 10);
        return;
      }
      chat = null;
      resolve({
        expected: s.expected, delivered: s.delivered, inTime: s.inTime, duplicates: s.duplicates, outOfOrder: s.outOfOrder,
        stray: s.stray, p50Us: s.hist.percentile(50), p99Us: s.hist.percentile(99), maxUs: s.hist.max,
        spanUs: s.lastUs > 0 ? s.lastUs - s.startUs : 0, disconnects: s.disconnects, serverUnsubscribes: 0, subscribers: s.subscribers,
          lag: stepLag.read(),
      });
    };
    check();
  });
}

function handleShape(cmd: ShapeCommand): Promise<unknown> | unknown {
  switch (cmd.t) {
    case 'chat.begin':
      chat = new ChatStep(cmd.firsts, cmd.counts, cmd.startUs, cmd.inTimeUs);
      stepLag.start();
      return { expected: chat.expected, subscribers: chat.subscribers };
    case 'chat.end':
      return endChat(cmd.drainMs);
    case 'soak.begin': {
      let slots = 0;
      for (const c of clients) {
        c.lastSeq = 0;
        c.slot = c.ready ? slots++ : -1;
      }
      step = lastSoak = new WindowedStep(cmd.first, cmd.count, slots, cmd.startUs, cmd.inTimeUs, cmd.windowUs);
      stepLag.start();
      return {};
    }
    case 'soak.windows':
      return Array.from(lastSoak?.windows ?? [], (h): WindowStats => (
        h ? { delivered: h.count, p50Us: h.percentile(50), p99Us: h.percentile(99) } : { delivered: 0, p50Us: Number.NaN, p99Us: Number.NaN }));
  }
}

// ─── end of shapes ───

async function handle(cmd: GeneratorCommand): Promise<unknown> {
  switch (cmd.t) {
    case 'connect':
      if (cmd.req.reconnect) failover ??= new Failover();
      return connect(cmd.req);
    case 'alive':
      return { alive: clients.filter((c) => c.ready).length, total: clients.length };
    case 'step.begin': {
      let slots = 0;
      for (const c of clients) {
        c.lastSeq = 0;
        c.slot = c.ready ? slots++ : -1;
      }
      step = new Step(cmd.first, cmd.count, slots, cmd.startUs, cmd.inTimeUs);
      stepLag.start();
      return {};
    }
    case 'step.end':
      return endStep(cmd.drainMs);
    case 'quiet':
      return quiet(cmd.quietMs, cmd.maxMs);
    case 'failover.arm':
      failover ??= new Failover();
      if (!failover.armed) failoverLag.start();
      failover.killedAtUs = cmd.killedAtUs;
      failover.armed = true;
      return {};
    case 'failover.status':
      return failoverStatus();
    case 'failover.check':
      return failoverCheck(cmd.published, cmd.drainMs);
    case 'chat.begin':
    case 'chat.end':
    case 'soak.begin':
    case 'soak.windows':
      return handleShape(cmd);
    case 'exit':
      for (const c of clients) c.close();
      setTimeout(() => process.exit(0), 50);
      return {};
  }
}

process.on('message', (m: { id: number; cmd: GeneratorCommand }) => {
  handle(m.cmd).then(
    (result) => process.send?.({ id: m.id, ok: true, result }),
    (e: unknown) => process.send?.({ id: m.id, ok: false, error: String((e as Error)?.stack ?? e) }),
  );
});
process.on('disconnect', () => process.exit(0));
