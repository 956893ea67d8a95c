/**
 * A chat channel's typing channel and back: the convention the simulator (`chat:sim-…-3` with
 * `typing:sim-…-3`, embedded-server/simulator/profiles.ts) and the default namespaces
 * (`chat:` with history and presence, `typing:` for indicators) follow: the same name after the
 * namespace. Pure, tested without React.
 */

export const CHAT_NAMESPACE = 'chat';
export const TYPING_NAMESPACE = 'typing';

/** The other channel of a pair, and what it is to the one open. */
export interface Companion {
  channel: string;
  /** 'typing': the open channel is the chat, this is its typing channel; 'chat': the reverse. */
  kind: 'typing' | 'chat';
}

/**
 * The companion of `channel`, or null when it has none: the channel is not in `chat:` or `typing:`,
 * has nothing after its namespace, or the cluster has no namespace for the other half.
 */
export function companionOf(channel: string, namespaces: readonly string[], boundary = ':'): Companion | null {
  const cut = channel.indexOf(boundary);
  if (cut <= 0) return null;
  const namespace = channel.slice(0, cut);
  const rest = channel.slice(cut + boundary.length);
  if (rest === '') return null;
  if (namespace === CHAT_NAMESPACE && namespaces.includes(TYPING_NAMESPACE)) {
    return { channel: `${TYPING_NAMESPACE}${boundary}${rest}`, kind: 'typing' };
  }
  if (namespace === TYPING_NAMESPACE && namespaces.includes(CHAT_NAMESPACE)) {
    return { channel: `${CHAT_NAMESPACE}${boundary}${rest}`, kind: 'chat' };
  }
  return null;
}
