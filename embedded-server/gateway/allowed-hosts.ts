/**
 * The Host check of both ports (client and admin), against DNS rebinding: a page on a hostile site
 * whose name the attacker re-points at 127.0.0.1 reaches our ports with its own name in `Host`.
 * Allowed: no Host at all (a browser always sends one, so that is a tool), any IP literal (a
 * rebinding needs a DNS name; a page at an IP address is same-origin with us), `localhost`, the
 * addresses the cluster binds, and the names the user lists (`--allowed-hosts`,
 * `cluster.allowed_hosts`: exact names, `*.example.com` for subdomains, `*` for any).
 */
import { isIP } from 'node:net';

/** The name in a Host header: no port, no IPv6 brackets, lower case, no trailing dot; null when unreadable. */
export function hostName(header: string): string | null {
  const value = header.trim().toLowerCase();
  if (value === '') return null;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end > 1 ? value.slice(1, end) : null;
  }
  const colon = value.lastIndexOf(':');
  // Two colons and no brackets: a bare IPv6 address (not valid in Host, but readable).
  const name = colon >= 0 && value.indexOf(':') === colon ? value.slice(0, colon) : value;
  return name.replace(/\.$/, '') || null;
}

/** True for loopback names and addresses: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(name: string): boolean {
  const n = name.toLowerCase().replace(/^\[|\]$/g, '');
  return n === 'localhost' || n === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(n);
}

/** The names a Host header may carry: localhost, the bound addresses and the user's list. */
export function hostAllowList(boundHosts: readonly string[], extra: readonly string[]): string[] {
  const names = ['localhost', ...boundHosts, ...extra].map((h) => hostName(h.includes(':') && !h.startsWith('[') ? `[${h}]` : h) ?? '');
  return [...new Set(names.filter((n) => n !== ''))];
}

/** Whether a request with this Host header is meant for us (see the module comment). */
export function hostAllowed(header: string | undefined, allowList: readonly string[]): boolean {
  if (header === undefined) return true;
  const name = hostName(header);
  if (name === null) return false;
  if (isIP(name) !== 0) return true;
  return allowList.some((pattern) => matches(name, pattern));
}

function matches(name: string, pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return name.endsWith(pattern.slice(1));
  return name === pattern;
}

/** The body of a 421 answer: what was refused and how to allow it. */
export function misdirected(header: string): string {
  return `misdirected request: this server does not answer for host "${header}" `
    + '(allow the name with --allowed-hosts or cluster.allowed_hosts, or connect by IP address or localhost)';
}
