/**
 * The empty state that says what to do next: a centrifuge-js snippet for this cluster with a token
 * minted on the spot, ready to copy.
 */
import { useEffect, useState } from 'react';
import { request } from '../bridge/bridge.js';
import { useSession } from '../stores/session.store.js';
import { CopyButton } from './CopyButton.js';

export function FirstClientHelp({ title = 'No clients connected yet' }: { title?: string }) {
  const clientUrl = useSession((s) => s.hello?.clientUrl);
  const link = useSession((s) => s.link);
  const [token, setToken] = useState<string | null>(null);
  useEffect(() => {
    if (link !== 'connected') return;
    let live = true;
    request('token.mint', { user: 'demo', ttlSeconds: 86_400 }).then((r) => { if (live) setToken(r.token); }, () => undefined);
    return () => { live = false; };
  }, [link]);
  const url = clientUrl ?? 'ws://127.0.0.1:8000/connection/websocket';
  const snippet = `import { Centrifuge } from 'centrifuge';

const client = new Centrifuge('${url}', {
  token: '${token ?? '…'}',
});
const room = client.newSubscription('chat:lobby');
room.on('publication', (ctx) => console.log(ctx.data));
room.subscribe();
client.connect();`;
  return (
    <div className="empty">
      <h2>{title}</h2>
      <p>Connect a first client with centrifuge-js (in Node, add <code>websocket: WebSocket</code> from the <code>ws</code> package). The token below is for user “demo”, valid 24 hours.</p>
      <div className="snippet" data-testid="first-client-snippet">
        <CopyButton text={snippet} />
        {snippet}
      </div>
    </div>
  );
}
