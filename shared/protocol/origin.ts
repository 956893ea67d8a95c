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
