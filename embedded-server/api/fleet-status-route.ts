/**
 * `POST /switchboard/fleet-status` on the client port: a fleet started elsewhere (`switchboard
 * simulate`) reports its status about once a second, so the console can show it. Switchboard's own
 * route, beside the Centrifugo-compatible `/api/<method>` surface, with the same key check, body
 * limit and cross-site rules (http-api.ts). Wrong or missing key → 401, other methods → 405, a body
 * over 16 KiB → 413, a bad report → 400 naming what is wrong; a report taken → 204.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FleetReport } from '../../shared/admin/external-fleet-model.js';
import { FLEET_REPORT_MAX_BYTES, decodeFleetReport } from '../../shared/admin/external-fleet-model.js';
import { crossSiteRefusal } from './api-cross-site.js';
import type { ServerApiAuth } from './http-api.js';
import { authorized, readBody } from './http-api.js';

/** Where the reports go (the supervisor's ExternalFleets). */
export interface FleetStatusSink {
  report(report: FleetReport): void;
}

export function fleetStatusRoute(sink: FleetStatusSink, auth: ServerApiAuth): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    serve(sink, auth, req, res).catch(() => {
      if (!res.headersSent) answer(res, 500, 'the fleet status report failed inside the server');
      else res.destroy();
    });
  };
}

async function serve(sink: FleetStatusSink, auth: ServerApiAuth, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return answer(res, 405, 'method not allowed: POST a fleet status report', { allow: 'POST' });
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!authorized(req, url, auth)) return answer(res, 401, 'unauthorized: send the server API key (X-API-Key), as for /api');
  const crossSite = auth.insecure ? crossSiteRefusal(req, auth.allowedOrigins ?? []) : null;
  if (crossSite !== null) return answer(res, crossSite.status, crossSite.text);
  const body = await readBody(req, FLEET_REPORT_MAX_BYTES);
  if (!body.ok) {
    if (body.error === 'aborted') return void res.destroy();
    return answer(res, 413, `a fleet status report is at most ${FLEET_REPORT_MAX_BYTES} bytes`, { connection: 'close' });
  }
  const report = decodeFleetReport(body.value);
  if (!report.ok) return answer(res, 400, `bad fleet status report: ${report.error}`);
  sink.report(report.value);
  res.writeHead(204);
  res.end();
}

function answer(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = `${text}\n`;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'x-content-type-options': 'nosniff', ...headers,
  });
  res.end(body);
}
