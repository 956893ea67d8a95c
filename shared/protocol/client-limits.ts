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
}

export const CLIENT_COMMAND_LIMIT_DEFAULTS: ClientCommandLimits = {
  commandRateLimit: 2_000,
  errorRateLimit: 500,
  frameCommandLimit: 1_000,
};

/** The close of a frame over `frameCommandLimit`: a protocol violation, with a reason that says which. */
export const TOO_MANY_COMMANDS_IN_FRAME = { code: 3501, reason: 'bad request: too many commands in one frame' } as const;
