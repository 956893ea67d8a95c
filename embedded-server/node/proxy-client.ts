/**
 * Calls backend proxies over HTTP (Centrifugo's HTTP proxy: a POST with a JSON body, the answer a
 * JSON object, status 200 only). Every call ends within the endpoint's timeout, whatever the
 * backend does — refuses, hangs, crashes mid-answer, answers garbage or too much: the outcome is
 * then `failed` with the reason, which handlers turn into Centrifugo's temporary error 100, and
 * which is counted (proxy health in the console) and logged, at most one line per endpoint per 10 s.
 */
import http from 'node:http';
import https from 'node:https';
import type { Json } from '../../shared/protocol/client-protocol.js';
import type { ProxyAnswer, ProxyEvent } from '../../shared/proxy/proxy-protocol.js';
import { readProxyAnswer } from '../../shared/proxy/proxy-protocol.js';
import type { ProxyEndpoint, ProxySettings } from '../../shared/proxy/proxy-settings.js';
import { PROXY_LATENCY_BOUNDS_MS } from '../../shared/proxy/proxy-latency.js';
import type { ProxyContext } from './session.js';

export type ProxyOutcome<E extends ProxyEvent> = ProxyAnswer<E> | { kind: 'failed'; why: string };

/** The largest answer read: a publication's data (1 MiB) with room for the envelope. */
export const PROXY_ANSWER_MAX_BYTES = 2 * 1024 * 1024;


/** Totals since the node started, per endpoint. */
export interface ProxyCounters {
  calls: number;
  /** Calls with no usable answer: unreachable, timed out, non-200 without a transform, malformed. */
  failures: number;
  /** Call durations; one more bucket than PROXY_LATENCY_BOUNDS_MS. */
  latency: number[];
}

const LOG_EVERY_MS = 10_000;

export class ProxyClient {
  readonly counters = new Map<string, ProxyCounters>();
  private readonly agents = new Map<string, http.Agent>();
  private readonly lastLog = new Map<string, { at: number; silenced: number }>();

  constructor(
    readonly settings: ProxySettings,
    private readonly log: (line: string) => void,
  ) {
    for (const name of Object.keys(settings.endpoints)) {
      this.counters.set(name, { calls: 0, failures: 0, latency: new Array<number>(PROXY_LATENCY_BOUNDS_MS.length + 1).fill(0) });
    }
  }

  endpoint(name: string): ProxyEndpoint | undefined {
    return this.settings.endpoints[name];
  }

  /** Calls endpoint `name` for `event` with `body` (the fields of the event's request). */
  async call<E extends ProxyEvent>(name: string, event: E, body: Record<string, unknown>, ctx: ProxyContext | undefined): Promise<ProxyOutcome<E>> {
    const e = this.settings.endpoints[name];
    if (!e) return { kind: 'failed', why: `no proxy named ${name}` };
    if (e.includeConnectionMeta && ctx?.meta !== undefined) body.meta = ctx.meta;
    const started = performance.now();
    const outcome = await this.post(e, event, JSON.stringify(body), headersFor(e, ctx));
    const c = this.counters.get(name)!;
    c.calls++;
    c.latency[bucketOf(performance.now() - started)]!++;
    if (outcome.kind === 'failed') {
      c.failures++;
      this.logFailure(e, event, outcome.why);
    }
    return outcome;
  }

  /** A call not made (a limit): counted as a failure of that endpoint, and logged. */
  dropped(name: string, event: ProxyEvent, why: string): void {
    const e = this.settings.endpoints[name];
    const c = this.counters.get(name);
    if (!e || !c) return;
    c.calls++;
    c.failures++;
    this.logFailure(e, event, why);
  }

  /** The counters for the stats report: copies, since the report leaves at the end of the turn. */
  snapshot(): Record<string, ProxyCounters> {
    const out: Record<string, ProxyCounters> = {};
    for (const [name, c] of this.counters) out[name] = { calls: c.calls, failures: c.failures, latency: [...c.latency] };
    return out;
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
  }

  private agentFor(e: ProxyEndpoint): http.Agent {
    let agent = this.agents.get(e.name);
    if (!agent) {
      const options = { keepAlive: true, maxSockets: 256, maxFreeSockets: 32 };
      agent = e.endpoint.startsWith('https:') ? new https.Agent(options) : new http.Agent(options);
      this.agents.set(e.name, agent);
    }
    return agent;
  }

  private post<E extends ProxyEvent>(e: ProxyEndpoint, event: E, payload: string, headers: Record<string, string>): Promise<ProxyOutcome<E>> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (o: ProxyOutcome<E>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(o);
      };
      const send = e.endpoint.startsWith('https:') ? https.request : http.request;
      const req = send(e.endpoint, {
        method: 'POST',
        agent: this.agentFor(e),
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      });
      const timer = setTimeout(() => {
        finish({ kind: 'failed', why: `no answer within ${e.timeoutMs} ms` });
        req.destroy();
      }, e.timeoutMs);
      req.on('error', (err) => finish({ kind: 'failed', why: describe(err) }));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > PROXY_ANSWER_MAX_BYTES) {
            finish({ kind: 'failed', why: `answer larger than ${PROXY_ANSWER_MAX_BYTES} bytes` });
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (err) => finish({ kind: 'failed', why: describe(err) }));
        res.on('aborted', () => finish({ kind: 'failed', why: 'the backend closed the connection mid-answer' }));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status !== 200) return finish(transformed(e, status));
          let body: unknown;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return finish({ kind: 'failed', why: 'the answer is not JSON' });
          }
          const answer = readProxyAnswer(event, body);
          finish(answer.ok ? answer.value : { kind: 'failed', why: `bad answer: ${answer.error}` });
        });
      });
      req.end(payload);
    });
  }

  private logFailure(e: ProxyEndpoint, event: ProxyEvent, why: string): void {
    const now = Date.now();
    const last = this.lastLog.get(e.name);
    if (last && now - last.at < LOG_EVERY_MS) {
      last.silenced++;
      return;
    }
    const more = last && last.silenced > 0 ? ` (${last.silenced} more failures since the last report)` : '';
    this.lastLog.set(e.name, { at: now, silenced: 0 });
    this.log(`${event} proxy ${e.name} (${e.endpoint}) failed: ${why}${more}`);
  }
}

/** A non-200 status: what `status_to_code_transforms` makes of it, else a failure. */
function transformed<E extends ProxyEvent>(e: ProxyEndpoint, status: number): ProxyOutcome<E> {
  const t = e.statusTransforms.find((x) => x.status === status);
  if (t?.error) return { kind: 'error', error: t.error };
  if (t?.disconnect) return { kind: 'disconnect', code: t.disconnect.code, reason: t.disconnect.reason };
  return { kind: 'failed', why: `HTTP status ${status}` };
}

/** Static headers first, then the passed-on ones (an emulated value only where no real header of that name came). */
function headersFor(e: ProxyEndpoint, ctx: ProxyContext | undefined): Record<string, string> {
  const out: Record<string, string> = { ...e.staticHeaders };
  if (ctx === undefined) return out;
  for (const name of e.emulatedHeaders) {
    const v = ctx.emulated?.[name];
    if (v !== undefined) out[name] = v;
  }
  for (const name of e.httpHeaders) {
    const v = ctx.headers?.[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

function bucketOf(ms: number): number {
  const i = PROXY_LATENCY_BOUNDS_MS.findIndex((bound) => ms <= bound);
  return i === -1 ? PROXY_LATENCY_BOUNDS_MS.length : i;
}

function describe(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the backend running?)';
  if (code === 'ECONNRESET') return 'the backend closed the connection';
  return code ? `${code}: ${err.message}` : err.message;
}

/** The fields every proxy request carries about the connection. */
export function requestBase(s: { id: string; transport: string; user: string }, withUser: boolean): Record<string, Json> {
  const base: Record<string, Json> = { client: s.id, transport: s.transport, protocol: 'json', encoding: 'json' };
  if (withUser) base.user = s.user;
  return base;
}
