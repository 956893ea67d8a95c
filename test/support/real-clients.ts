/** Real centrifuge clients for integration tests: connected, subscribed, and what they received. */
import type { Centrifuge, Options, PublicationContext, Subscription } from 'centrifuge';
import type { TestCluster } from './test-cluster.js';

export interface ConnectedClient {
  client: Centrifuge;
  /** The connection id the server assigned (ClientInfo.client, presence key). */
  id: string;
}

/** Connects a real client as `user` and waits for the connect reply. */
export async function connectClient(
  cluster: TestCluster, user: string, opts: Partial<Options> & { query?: string } = {},
): Promise<ConnectedClient> {
  const client = await cluster.client(user, opts);
  const connected = new Promise<string>((resolve) => client.once('connected', (ctx) => resolve(ctx.client)));
  client.connect();
  return { client, id: await connected };
}

export interface Subscribed {
  sub: Subscription;
  /** Publications received, in order. */
  got: PublicationContext[];
}

/** A client-side subscription, subscribed; collects its publications. */
export async function subscribeTo(client: Centrifuge, channel: string): Promise<Subscribed> {
  const sub = client.newSubscription(channel);
  const got: PublicationContext[] = [];
  sub.on('publication', (ctx) => got.push(ctx));
  sub.subscribe();
  await sub.ready(5000);
  return { sub, got };
}
