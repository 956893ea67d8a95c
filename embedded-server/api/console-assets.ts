/**
 * Serves the built console (renderer bundle) on the admin port, so `switchboard serve` runs it in
 * any browser, plus `/auth-check`, which tells the console whether its token is the right one (a
 * browser cannot see why a WebSocket upgrade failed). The admin API itself stays behind the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { contentTypeOf } from '../../shared/content-types.js';
import { corsOriginFor } from './admin-origin.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** A request handler for the admin server's `http` hook; answers false for what it does not serve. */
export function serveConsole(dir: string, token: string, allowedOrigins: readonly string[] = []): (req: IncomingMessage, res: ServerResponse) => boolean {
  const expected = digest(token);
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/auth-check') return authCheck(req, res, expected, allowedOrigins);
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (url.pathname === '/' || url.pathname === '/index.html') return sendIndex(res, dir);
    const file = normalize(join(dir, decodeURIComponent(url.pathname)));
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) return false;
    res.writeHead(200, {
      ...CONSOLE_SECURITY_HEADERS,
      'content-type': contentTypeOf(extname(file)),
      'cache-control': url.pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
    return true;
  };
}

/**
 * The console's own page needs no CORS; the desktop app's window (another origin, also for a
 * remote cluster) and origins in `cluster.admin_allowed_origins` get it by name. No other page may read the answer — a wildcard would let any
 * site test tokens against this port.
 */
function authCheck(req: IncomingMessage, res: ServerResponse, expected: Buffer, allowedOrigins: readonly string[]): boolean {
  const allowOrigin = corsOriginFor(req.headers.origin, allowedOrigins);
  const cors: Record<string, string> = allowOrigin === undefined
    ? { vary: 'origin' }
    : { vary: 'origin', 'access-control-allow-origin': allowOrigin, 'access-control-allow-headers': 'authorization' };
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...cors, ...(allowOrigin === undefined ? {} : { 'access-control-max-age': '600' }) });
    res.end();
    return true;
  }
  const header = req.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7) : '';
  const ok = given !== '' && timingSafeEqual(digest(given), expected);
  res.writeHead(ok ? 204 : 401, cors);
  res.end();
  return true;
}

/**
 * Headers of every console response. The CSP allows only the bundle's own files (the built page has
 * no inline script; React sets inline styles), the admin WebSocket, and no framing by any page
 * (clickjacking); no referrer leaves with the token in the page's URL.
 */
export const CONSOLE_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    + "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

function sendIndex(res: ServerResponse, dir: string): boolean {
  const index = join(dir, 'index.html');
  const security = CONSOLE_SECURITY_HEADERS;
  if (!existsSync(index)) {
    res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', ...security });
    res.end('<!doctype html><title>Switchboard</title><h1>The console is not built</h1><p>Run <code>npm run build:console</code>, then reload this page. The cluster and its admin API are running.</p>');
    return true;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', ...security });
  res.end(readFileSync(index));
  return true;
}
