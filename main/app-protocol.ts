/**
 * The app's pages come from disk through the privileged `switchboard://` scheme instead of file://:
 * each page kind gets an origin of its own (the console, the settings page), every response carries
 * the CSP of security.ts, and nothing outside the page's folder can be read.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { appHostOf } from './security.js';
import type { AppHost } from './security.js';
import { contentTypeOf } from '../shared/content-types.js';

/** The folder each app host serves. */
export type AppRoots = Record<AppHost, string>;

/** The file an app URL names, or null when the host is unknown or the path leaves its folder. */
export function resolveAppFile(url: string, roots: AppRoots): string | null {
  const host = appHostOf(url);
  if (host === null) return null;
  const root = normalize(roots[host]);
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const file = normalize(join(root, path === '/' || path === '' ? 'index.html' : path));
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : null;
}

/** Answers one request of the scheme: the file with its type and the CSP, or 404. */
export async function serveAppRequest(url: string, roots: AppRoots, csp: () => string): Promise<Response> {
  const headers = {
    'content-security-policy': csp(),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  };
  const file = resolveAppFile(url, roots);
  if (file !== null && (await isFile(file))) {
    const body = await readFile(file);
    return new Response(body, { status: 200, headers: { ...headers, 'content-type': contentTypeOf(extname(file)) } });
  }
  return new Response('Not found', { status: 404, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
