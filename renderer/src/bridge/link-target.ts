/**
 * Where the admin API is and which token opens it. The desktop shell hands both over through its
 * preload (`window.switchboard`); in a browser the console URL printed by `switchboard serve`
 * carries the token the way Jupyter's does (`?token=…`). The token is then kept for this tab only
 * and removed from the address bar, so a copied URL does not leak it.
 */
export interface LinkTarget {
  /** ws://host:port/admin */
  url: string;
  /** null when the user has to paste it. */
  token: string | null;
}

interface HostBridge {
  adminUrl: string;
  adminToken: string;
}

const TOKEN_KEY = 'switchboard.adminToken';

export function findLinkTarget(): LinkTarget {
  const host = (window as unknown as { switchboard?: HostBridge }).switchboard;
  if (host?.adminUrl) return { url: host.adminUrl, token: host.adminToken };
  const here = new URL(window.location.href);
  const fromUrl = here.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    here.searchParams.delete('token');
    window.history.replaceState(null, '', here.toString());
  }
  const scheme = here.protocol === 'https:' ? 'wss:' : 'ws:';
  return { url: `${scheme}//${here.host}/admin`, token: fromUrl ?? sessionStorage.getItem(TOKEN_KEY) };
}

/** Remembers a token the user pasted (for this tab). */
export function rememberToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}
