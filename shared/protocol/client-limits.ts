/**
 * What one client connection may ask of a node (Switchboard's own `client` options; Centrifugo PRO's
 * nearest is `client.rate_limit.client_command`, which answers 111 instead of disconnecting).
 * Defaults sit far above what any well-behaved client sends: the centrifuge client's largest frame is
 * connect plus one subscribe per channel (≤ `client.channel_limit`, 128) on reconnect, and the
 * simulator's fastest bot publishes 1,000/s.
 */

export interface ClientCommandLimits {
  /** Commands one connection may send per second; past it the connection is closed 3013. 0 = unlimited. */
  commandRateLimit: number;
  /** Error replies one connection may earn per second; past it the connection is closed 3509. 0 = unlimited. */
  errorRateLimit: number;
  /**
   * Commands in one WebSocket frame; a larger frame closes the connection 3501. Reading from a
   * connection also pauses while more than this many of its commands wait (TCP backpressure).
   */
  frameCommandLimit: number;
  /**
   * Commands of each limited kind one connection may send per second (`client.method_rate_limit`);
   * past it the command is answered error 111 "too many requests" (the client may retry), and a
   * connection that sends more than twice it in one second is closed 3013 (it reconnects with
   * backoff). 0 = unlimited for that kind.
   */
  methodRateLimit: MethodRateLimits;
}

/** The command kinds with their own per-connection rate (Centrifugo PRO's `client.rate_limit.client_command` by method). */
export const RATE_LIMITED_METHODS = ['publish', 'subscribe', 'presence', 'history'] as const;
export type RateLimitedMethod = (typeof RATE_LIMITED_METHODS)[number];
export type MethodRateLimits = Record<RateLimitedMethod, number>;

export const CLIENT_COMMAND_LIMIT_DEFAULTS: ClientCommandLimits = {
  commandRateLimit: 2_000,
  errorRateLimit: 500,
  frameCommandLimit: 1_000,
  // publish: unlimited per connection (namespaces have `publish_rate_limit` per channel, and the
  // simulator's fastest bot sends 1,000/s); subscribe above a reconnect's 128 resubscribes.
  methodRateLimit: { publish: 0, subscribe: 500, presence: 100, history: 100 },
};

/** The close of a frame over `frameCommandLimit`: a protocol violation, with a reason that says which. */
export const TOO_MANY_COMMANDS_IN_FRAME = { code: 3501, reason: 'bad request: too many commands in one frame' } as const;
