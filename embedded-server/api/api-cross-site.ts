/**
 * What the server API refuses when it runs without a key (`http_api.insecure`): requests a web page
 * on another site could make a browser send. docs/http-api.md, "Cross-site requests", has the why.
 */
import type { IncomingMessage } from 'node:http';
import { originAllowed } from '../../shared/protocol/origin.js';

/**
 * Without a key, what a browser could send from another site: a foreign Origin, or a body type a
 * page may POST without a CORS preflight (text/plain, forms). JSON always takes a preflight, which
 * this server never grants.
 */
export function crossSiteRefusal(req: IncomingMessage, allowedOrigins: string[]): { status: 403 | 415; text: string } | null {
  const origin = req.headers.origin;
  if (!originAllowed(origin, allowedOrigins)) {
    return { status: 403, text: `forbidden: origin ${origin} may not use the API without a key (see client.allowed_origins)` };
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return null;
  return {
    status: 415,
    text: `unsupported content type "${type || '(none)'}": without an API key the server API takes only application/json `
      + `(curl: add -H 'Content-Type: application/json')`,
  };
}
