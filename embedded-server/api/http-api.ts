/**
 * The server HTTP API transport (PROTOCOL.md §10.1): `POST /api/<method>` with a JSON body.
 * Unknown method → 404, other HTTP methods → 405, bad or missing key → 401 (empty), body too big →
 * 413, unparsable body → 400 (plain text); everything else → 200 with `{"result"}` / `{"error"}`,
 * or the error's own status in transport error mode.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppError, Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import type { ServerApiBackend } from './server-api-backend.js';
import type { ApiContext, ApiMethod, ApiResponse } from './api-types.js';
import { describeError, isApiMethod } from './api-types.js';
import { ApiErrors, decodeBody } from './api-validate.js';
import { executeApi } from './api-methods.js';
import { crossSiteRefusal } from './api-cross-site.js';

export interface ServerApiAuth {
  /** The key requests must present; an empty key refuses every request unless `insecure`. */
  apiKey: string;
  /**
   * No key check at all (local experiments only). Then, as any web page could otherwise publish by
   * a cross-site form or `text/plain` POST, only `application/json` bodies are accepted (415), and
   * a request whose Origin is not in `allowedOrigins` is refused (403). See docs/http-api.md.
   */
  insecure: boolean;
  /** Browser origins allowed when insecure (client.allowed_origins, node/origin.ts); default none. */
  allowedOrigins?: string[];
}

export interface ServerApiOptions {
  /** Largest request body accepted, in bytes; larger → 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** "transport": every request behaves as if it sent `X-Centrifugo-Error-Mode: transport`. */
  errorMode?: '' | 'transport';
  /** Receives one line per unexpected failure; default: stderr. */
  log?: (line: string) => void;
  /**
   * Called once per request, after it was answered (for the metrics). `method` is the API method,
   * or `unknown` when the path names none.
   */
  onRequest?: (method: string, outcome: ApiOutcome) => void;
}

/**
 * How a request ended: `ok` (a 200 without a top-level `error`), `error` (an `{"error"}` answer in
 * either error mode, a failure inside the server, or a body the client aborted), `unauthorized`
 * (401, and 403 for a foreign Origin in insecure mode), `bad_request` (400, 413, 415), `not_found` (404),
 * `method_not_allowed` (405).
 */
export type ApiOutcome = 'ok' | 'error' | 'unauthorized' | 'bad_request' | 'not_found' | 'method_not_allowed';

const API_PREFIX = '/api/';
/** The `method` reported for a path that names no API method. */
const UNKNOWN_METHOD = 'unknown';
const DEFAULT_MAX_BODY = 1024 * 1024;
const ERROR_MODE_HEADER = 'x-centrifugo-error-mode';

/** Transport error mode: error code → HTTP status, Centrifugo's mapping; anything else → 500. */
const TRANSPORT_STATUS: Record<number, number> = { 100: 500, 102: 404, 104: 404, 107: 400, 108: 400, 112: 416, 113: 409 };

/** Builds the request handler for `/api/*`; it answers every request and never throws. */
export function createServerApi(
  backend: ServerApiBackend,
  auth: ServerApiAuth,
  options: ServerApiOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const log = options.log ?? ((line: string) => process.stderr.write(`[server-api] ${line}\n`));
  const ctx: ApiContext = { backend, log };
  const config: HandlerConfig = {
    auth,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY,
    forceTransportErrors: options.errorMode === 'transport',
  };
  return (req, res) => {
    const report = (method: string, outcome: ApiOutcome): void => {
      try {
        options.onRequest?.(method, outcome);
      } catch (e) {
        log(`server API onRequest failed: ${describeError(e)}`);
      }
    };
    serve(ctx, config, req, res).then(({ method, outcome }) => report(method, outcome), (e: unknown) => {
      log(`server API request failed: ${describeError(e)}`);
      answerInternalError(res, wantsTransportErrors(config, req));
      report(methodLabel(req.url), 'error');
    });
  };
}

interface HandlerConfig {
  auth: ServerApiAuth;
  maxBodyBytes: number;
  forceTransportErrors: boolean;
}

/** What `onRequest` hears about one answered request. */
interface Served {
  method: string;
  outcome: ApiOutcome;
}

async function serve(ctx: ApiContext, config: HandlerConfig, req: IncomingMessage, res: ServerResponse): Promise<Served> {
  const url = parseUrl(req.url);
  const method = url === null ? null : apiMethodOf(url.pathname);
  if (url === null || method === null) {
    sendText(res, 404, 'not found: the server API answers POST /api/<method>');
    return { method: UNKNOWN_METHOD, outcome: 'not_found' };
  }
  const served = (outcome: ApiOutcome): Served => ({ method, outcome });
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    sendText(res, 405, 'method not allowed: use POST');
    return served('method_not_allowed');
  }
  if (!authorized(req, url, config.auth)) {
    sendEmpty(res, 401);
    return served('unauthorized');
  }
  const crossSite = config.auth.insecure ? crossSiteRefusal(req, config.auth.allowedOrigins ?? []) : null;
  if (crossSite !== null) {
    sendText(res, crossSite.status, crossSite.text);
    return served(crossSite.status === 403 ? 'unauthorized' : 'bad_request');
  }
  const body = await readBody(req, config.maxBodyBytes);
  if (!body.ok) {
    if (body.error === 'aborted') res.destroy();
    else sendTooLarge(res, config.maxBodyBytes);
    return served(body.error === 'aborted' ? 'error' : 'bad_request');
  }
  const params = decodeBody(body.value);
  if (!params.ok) {
    sendText(res, 400, `bad request: ${params.error}`);
    return served('bad_request');
  }
  const response = await executeApi(ctx, method, params.value);
  if (wantsTransportErrors(config, req) && 'error' in response) sendJson(res, transportStatus(response.error), response.error);
  else sendJson(res, 200, response satisfies ApiResponse);
  return served('error' in response ? 'error' : 'ok');
}

/** Transport error mode: configured for all, or asked by the request's header. */
function wantsTransportErrors(config: HandlerConfig, req: IncomingMessage): boolean {
  return config.forceTransportErrors || req.headers[ERROR_MODE_HEADER] === 'transport';
}

function parseUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

function methodLabel(rawUrl: string | undefined): string {
  const url = parseUrl(rawUrl);
  return (url === null ? null : apiMethodOf(url.pathname)) ?? UNKNOWN_METHOD;
}

function apiMethodOf(pathname: string): ApiMethod | null {
  if (!pathname.startsWith(API_PREFIX)) return null;
  const name = pathname.slice(API_PREFIX.length);
  return isApiMethod(name) ? name : null;
}

/**
 * `X-API-Key: <key>`, else `Authorization: apikey <key>`; then `?api_key=<key>` (Centrifugo's order).
 * Also checks Switchboard's own routes beside the API (fleet-status-route.ts).
 */
export function authorized(req: IncomingMessage, url: URL, auth: ServerApiAuth): boolean {
  if (auth.insecure) return true;
  if (auth.apiKey === '') return false;
  const header = req.headers['x-api-key'];
  const fromHeader = typeof header === 'string' && header !== ''
    ? header
    : apiKeyFromAuthorization(req.headers.authorization);
  if (fromHeader !== null && sameKey(fromHeader, auth.apiKey)) return true;
  const fromQuery = url.searchParams.get('api_key');
  return fromQuery !== null && sameKey(fromQuery, auth.apiKey);
}

function apiKeyFromAuthorization(value: string | undefined): string | null {
  const parts = (value ?? '').trim().split(/\s+/);
  return parts.length === 2 && parts[0].toLowerCase() === 'apikey' ? parts[1] : null;
}

/** Constant-time comparison; hashing first makes the lengths equal without leaking them. */
function sameKey(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export type BodyError = 'too-large' | 'aborted';

/** Reads the body up to `limit` bytes; past it the rest is discarded and 'too-large' answered. */
export function readBody(req: IncomingMessage, limit: number): Promise<Result<string, BodyError>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.resolve(err('too-large'));
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        resolve(err('too-large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(ok(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', () => resolve(err('aborted')));
    req.on('close', () => resolve(err('aborted')));
  });
}

function transportStatus(error: AppError): number {
  return TRANSPORT_STATUS[error.code] ?? 500;
}

function answerInternalError(res: ServerResponse, transport: boolean): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (transport) sendJson(res, 500, ApiErrors.internal);
  else sendJson(res, 200, { error: ApiErrors.internal });
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  const body = `${text}\n`;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}

/** The connection is closed after a 413 so that the unread rest of the body cannot linger. */
function sendTooLarge(res: ServerResponse, limit: number): void {
  res.setHeader('Connection', 'close');
  sendText(res, 413, `request body too large: more than ${limit} bytes (http_api.max_body_size)`);
}
