/**
 * Attaching the console to a remote cluster: what the user typed in the settings page, turned into
 * the admin URL and token the app stores (lives in main/: it needs the WHATWG URL parser).
 */
import type { Result } from '../shared/result.js';
import { err, ok } from '../shared/result.js';
import type { AdminTarget } from './admin-client.js';
import { AdminSession } from './admin-client.js';

/**
 * A remote admin API as the user typed it: either the admin URL (`ws://host:8001/admin`) and a
 * token, or the console URL `switchboard serve` printed (`http://host:8001/?token=…`), which carries
 * both. Answers the admin URL and token to store, or what to fix. The console's pages are a secure
 * context, so a plain ws:// admin API must be on this computer (directly or through an SSH tunnel,
 * the way a loopback-bound admin API is reached anyway); elsewhere it takes wss://.
 */
export function normalizeRemoteTarget(urlText: string, tokenText: string): Result<{ adminUrl: string; adminToken: string }, string> {
  let url: URL;
  try {
    url = new URL(urlText.trim());
  } catch {
    return err('The admin URL is not a URL: use ws://host:8001/admin, or paste the console URL that switchboard serve printed.');
  }
  const fromUrl = url.searchParams.get('token') ?? '';
  const token = tokenText.trim() || fromUrl;
  const schemes: Record<string, string | undefined> = { 'ws:': 'ws:', 'wss:': 'wss:', 'http:': 'ws:', 'https:': 'wss:' };
  const scheme = schemes[url.protocol];
  if (scheme === undefined) return err(`The admin URL must start with ws://, wss://, http:// or https:// (got ${url.protocol}).`);
  if (token === '') return err('The admin token is missing: `switchboard serve` prints it next to the admin API URL.');
  if (scheme === 'ws:' && !isLoopback(url.hostname)) {
    return err(`Plain ws:// reaches only this computer (the window refuses insecure connections elsewhere): use wss:// for ${url.hostname}, `
      + `or an SSH tunnel (ssh -L 8001:127.0.0.1:8001 ${url.hostname}) and ws://127.0.0.1:8001/admin.`);
  }
  const path = url.pathname === '/' || url.pathname === '' ? '/admin' : url.pathname.replace(/\/+$/, '');
  return ok({ adminUrl: `${scheme}//${url.host}${path}`, adminToken: token });
}

/** Loopback hosts count as secure for a WebSocket from the app's secure pages (no mixed content). */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** The remote target as typed, normalized and checked against the cluster itself (its token opens it). */
export async function reachRemoteTarget(urlText: string, tokenText: string): Promise<Result<AdminTarget, string>> {
  const remote = normalizeRemoteTarget(urlText, tokenText);
  if (!remote.ok) return remote;
  const reached = await AdminSession.open(remote.value);
  if (!reached.ok) return err(`Not saved: ${reached.error}.`);
  reached.value.close();
  return remote;
}
