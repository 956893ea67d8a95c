/**
 * Centrifugo v6's unidirectional HTTP transports on a node: `uni_sse` (GET with the connect request
 * in `cf_connect` — none is an empty request — or POST with it as the body) and `uni_http_stream`
 * (POST with it as the body). The request is checked and its connect request decoded; then a
 * session like any other runs the connect, and the response carries its pushes (uni-sockets.ts).
 * A uni session takes no further commands: it is not reachable through `POST /emulation`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeConnectRequest } from '../../shared/protocol/client.codec.js';
import type { ConnectRequest } from '../../shared/protocol/client-protocol.js';
import { UNI_HTTP_STREAM_PATH, UNI_SSE_PATH } from '../../shared/protocol/endpoints.js';
import { originAllowed } from '../../shared/protocol/origin.js';
import type { UniHttpSettings, UniTransportSettings } from '../../shared/protocol/uni-transports.js';
import { enqueueCommands } from './handlers/dispatch.js';
import { readBody, streamCors } from './http-streams.js';
import type { NodeRuntime } from './node-runtime.js';
import { Session } from './session.js';
import type { UniHttpKind } from './uni-sockets.js';
import { UniHttpSocket } from './uni-sockets.js';

/** The enabled uni HTTP transport served at `path`, or null. */
export function uniHttpKind(path: string, uni: UniTransportSettings): UniHttpKind | null {
  if (path === UNI_SSE_PATH && uni.sse.enabled) return 'uni_sse';
  if (path === UNI_HTTP_STREAM_PATH && uni.httpStream.enabled) return 'uni_http_stream';
  return null;
}

export type UniOpening =
  | { ok: true; connect: ConnectRequest; bytes: number }
  | { ok: false; status: number; why: string; headers?: Record<string, string> };

const refused = (status: number, why: string, headers?: Record<string, string>): UniOpening => ({ ok: false, status, why, ...(headers ? { headers } : {}) });

function decoded(text: string, how: string): UniOpening {
  const req = decodeConnectRequest(text);
  if (!req.ok) return refused(400, `invalid connect request: ${how} must be a JSON connect request object, e.g. {"token":"<JWT>"}`);
  return { ok: true, connect: req.value, bytes: Buffer.byteLength(text) };
}

/**
 * Checks a uni stream request and reads its connect request, as Centrifugo does: 405 for another
 * method, 413 for a body over `max_request_body_size`, 400 for one that is no connect request (and,
 * unlike Centrifugo's silent empty 200, for a malformed `cf_connect` too). Each refusal says why.
 */
export async function openUniStream(req: IncomingMessage, kind: UniHttpKind, settings: UniHttpSettings, allowedOrigins: string[]): Promise<UniOpening> {
  if (!originAllowed(req.headers.origin, allowedOrigins)) return refused(403, 'this Origin is not allowed (client.allowed_origins)');
  if (req.method === 'OPTIONS') return refused(200, '');
  if (kind === 'uni_sse' && req.method === 'GET') {
    const connect = new URL(req.url ?? '/', 'http://x').searchParams.get('cf_connect');
    return connect === null || connect === '' ? { ok: true, connect: {}, bytes: 0 } : decoded(connect, 'cf_connect');
  }
  if (req.method !== 'POST') {
    const allow = kind === 'uni_sse' ? 'GET, POST, OPTIONS' : 'POST, OPTIONS';
    return refused(405, `${req.method} is not served here: ${kind === 'uni_sse' ? 'GET with cf_connect, or POST' : 'POST'} with the connect request`, { allow });
  }
  const body = await readBody(req, settings.maxRequestBodySize);
  if (body === null) return refused(413, `the connect request is larger than ${settings.maxRequestBodySize} bytes (${kind}.max_request_body_size)`);
  return decoded(body, 'the request body');
}

/** Runs a uni session's one command: its connect request, as command 1. */
export function startUniConnect(rt: NodeRuntime, s: Session, req: ConnectRequest, bytes: number): void {
  rt.counters.bytesIn += bytes;
  s.bytesIn += bytes;
  rt.counters.messagesIn++;
  s.messagesIn++;
  enqueueCommands(rt, s, [{ id: 1, method: 'connect', params: req }]);
}

/** What a stream's session closes with when the client went away. */
const STREAM_GONE = { code: 1006, reason: 'stream closed by the client' };

/**
 * Serves a uni_sse or uni_http_stream request; `adopt` makes the new session one of the node's
 * (proxy headers kept, hand-off settled).
 */
export async function serveUniStream(
  rt: NodeRuntime, req: IncomingMessage, res: ServerResponse, kind: UniHttpKind, adopt: (s: Session, req: IncomingMessage) => void,
): Promise<void> {
  const settings = kind === 'uni_sse' ? rt.client.uni.sse : rt.client.uni.httpStream;
  const opening = await openUniStream(req, kind, settings, rt.client.allowedOrigins);
  const cors = streamCors(req);
  if (!opening.ok) {
    res.writeHead(opening.status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close', ...cors, ...opening.headers });
    res.end(opening.why === '' ? '' : `${opening.why}\n`);
    return;
  }
  const s = new Session(new UniHttpSocket(res, kind, settings, cors), req.socket.remoteAddress ?? '', Date.now());
  adopt(s, req);
  res.on('close', () => {
    const chosen = s.closedWith;
    rt.forget(s, chosen?.code ?? STREAM_GONE.code, chosen?.reason ?? STREAM_GONE.reason);
  });
  startUniConnect(rt, s, opening.connect, opening.bytes);
}
