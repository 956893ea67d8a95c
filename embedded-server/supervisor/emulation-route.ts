/**
 * `POST /emulation` on the client port: the commands of an emulated connection (http_stream, SSE)
 * whose stream lives on a node. The request names the session and the node (both from the connect
 * reply, the node as `<supervisor>/<node id>`); the frame goes to that node over its IPC channel,
 * without a broker round trip, and the answer does not wait for the node: 204 once it is on its way,
 * as Centrifugo answers. A node of another supervisor sharing the engine (behind a load balancer
 * without stickiness) gets it over the control bus (`emulation.frame`), also 204. A node that is not
 * running here, or a supervisor not heard from, is 404 — centrifuge-js then closes the stream and
 * reconnects. A session gone from a running node is 204 too: its stream has ended.
 *
 * Every answer closes its connection. The gateway routes a connection by its first request, so a
 * connection kept alive after an emulation request would carry the client's next stream request
 * to this server instead of to a node (http-routes.ts answers that case 503).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulationRequest } from '../../shared/protocol/endpoints.js';
import { corsHeaders, originAllowed } from '../../shared/protocol/origin.js';
import type { SupervisorMessage } from '../../shared/ipc/node-ipc.js';

export interface EmulationTarget {
  /** This supervisor's id. */
  self: string;
  /** The running node with this id, or undefined. */
  node(id: string): { send(msg: SupervisorMessage): void } | undefined;
  /** Sends the frame to node `node` of live supervisor `supervisor`; false when no such supervisor is heard from. */
  forward(supervisor: string, node: string, session: string, data: string): boolean;
}

export interface EmulationRouteOptions {
  /** The largest body taken (a command frame, JSON-escaped, in its envelope). */
  maxBodyBytes: number;
  allowedOrigins: string[];
}

export function emulationRoute(target: EmulationTarget, options: EmulationRouteOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const origin = req.headers.origin;
    if (!originAllowed(origin, options.allowedOrigins)) return answer(res, 403, 'this Origin is not allowed (client.allowed_origins)\n');
    const cors = corsHeaders(origin, undefined);
    if (req.method === 'OPTIONS') return answer(res, 204, '', corsHeaders(origin, req.headers['access-control-request-headers'], 'POST, OPTIONS'));
    if (req.method !== 'POST') return answer(res, 405, 'POST the emulation request ({"session","node","data"})\n', { ...cors, allow: 'POST, OPTIONS' });
    if (req.headers['content-type'] === 'application/octet-stream') return answer(res, 400, 'the Protobuf variant of the protocol is not served: send JSON\n', cors);
    const parts: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxBodyBytes) tooLarge = true;
      else parts.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return answer(res, 413, `the emulation request is larger than ${options.maxBodyBytes} bytes\n`, cors);
      const parsed = parseRequest(Buffer.concat(parts).toString());
      if (typeof parsed === 'string') return answer(res, 400, `${parsed}\n`, cors);
      const slash = parsed.node.lastIndexOf('/');
      const supervisor = slash < 0 ? target.self : parsed.node.slice(0, slash);
      const id = parsed.node.slice(slash + 1);
      if (supervisor !== target.self) {
        if (!target.forward(supervisor, id, parsed.session, parsed.data)) return answer(res, 404, `no supervisor ${supervisor} is running: the stream has ended; reconnect\n`, cors);
        return answer(res, 204, '', cors);
      }
      const node = target.node(id);
      if (!node) return answer(res, 404, `no node ${parsed.node} here: the stream has ended; reconnect\n`, cors);
      node.send({ t: 'emulation', session: parsed.session, data: parsed.data });
      answer(res, 204, '', cors);
    });
    req.on('error', () => res.destroy());
  };
}

/** The request, or why it is not one. */
export function parseRequest(body: string): EmulationRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'the body is not JSON: expected {"session": string, "node": string, "data": string}';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected a JSON object {"session", "node", "data"}';
  const { session, node, data } = value as Record<string, unknown>;
  for (const [name, v] of [['session', session], ['node', node], ['data', data]] as const) {
    if (typeof v !== 'string' || v === '') return `${name} must be a non-empty string`;
  }
  return { session: session as string, node: node as string, data: data as string };
}

function answer(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...(body === '' ? {} : { 'content-type': 'text/plain; charset=utf-8' }), connection: 'close', ...headers });
  res.end(body);
}
