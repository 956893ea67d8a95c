/** Origin check (PROTOCOL.md §1): [] only requests without Origin, ["*"] all, else glob patterns. */
export function originAllowed(origin: string | undefined, allowed: string[]): boolean {
  if (origin === undefined || origin === '') return true;
  if (allowed.includes('*')) return true;
  const host = origin.toLowerCase();
  return allowed.some((pattern) => globToRegExp(pattern.toLowerCase()).test(host));
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/**
 * The CORS answer to a request from an allowed `origin` (none without one): the origin echoed with
 * credentials, and for a preflight (`preflightMethods` given) the methods and the headers it asked for.
 */
export function corsHeaders(origin: string | undefined, askedHeaders: string | undefined, preflightMethods?: string): Record<string, string> {
  if (!origin) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    vary: 'Origin',
    ...(preflightMethods ? { 'access-control-allow-methods': preflightMethods } : {}),
    ...(preflightMethods && askedHeaders ? { 'access-control-allow-headers': askedHeaders } : {}),
  };
}
