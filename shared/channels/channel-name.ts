/** Channel name rules (PROTOCOL.md §9.1): namespace, `$` private prefix, `#` user-limited channels. */
import type { AppError, Result } from '../result.js';
import { err, ok } from '../result.js';
import { Errors } from '../protocol/codes.js';
import type { ChannelOptions, ChannelSettings } from './channel-options.js';

export interface ChannelName {
  channel: string;
  /** Namespace name, "" for channels without one. */
  namespace: string;
  options: ChannelOptions;
  /** Starts with the private prefix: subscribing always needs a subscription token. */
  isPrivate: boolean;
  /** The users allowed by a `#` suffix, or null when the channel is not user-limited. */
  allowedUsers: string[] | null;
  /** The part after `ns:` (what `channel_regex` is matched against). */
  rest: string;
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

/** The 107 of a name with NUL, newline, DEL or another control character: it would corrupt logs and lines. */
export const CONTROL_CHARACTER_IN_CHANNEL: AppError = { code: Errors.badRequest.code, message: 'bad request: control character in channel name' };

/**
 * Resolves a channel to its namespace options; 107 for a bad name (empty, too long, not ASCII, a
 * control character), 102 for an unknown namespace. Only namespaces the config defines count:
 * `constructor`, `__proto__` and other Object.prototype names are unknown, whatever map was passed.
 */
export function parseChannel(channel: string, settings: ChannelSettings): Result<ChannelName, AppError> {
  if (channel.length === 0 || channel.length > settings.maxLength || !ASCII.test(channel)) return err(Errors.badRequest);
  if (CONTROL.test(channel)) return err(CONTROL_CHARACTER_IN_CHANNEL);
  const isPrivate = settings.privatePrefix !== '' && channel.startsWith(settings.privatePrefix);
  const unprefixed = isPrivate ? channel.slice(settings.privatePrefix.length) : channel;
  const boundary = unprefixed.indexOf(settings.namespaceBoundary);
  const namespace = boundary >= 0 ? unprefixed.slice(0, boundary) : '';
  const rest = boundary >= 0 ? unprefixed.slice(boundary + settings.namespaceBoundary.length) : unprefixed;
  const options = namespace === '' ? settings.withoutNamespace : ownNamespace(settings, namespace);
  if (options === undefined) return err(Errors.unknownChannel);
  const hash = channel.lastIndexOf(settings.userBoundary);
  const allowedUsers = hash >= 0 ? channel.slice(hash + settings.userBoundary.length).split(settings.userSeparator) : null;
  return ok({ channel, namespace, options, isPrivate, allowedUsers, rest });
}

function ownNamespace(settings: ChannelSettings, namespace: string): ChannelOptions | undefined {
  return Object.hasOwn(settings.namespaces, namespace) ? settings.namespaces[namespace] : undefined;
}

/** The personal channel of a user in a namespace, e.g. `personal:#alice`. */
export function personalChannel(namespace: string, user: string, settings: ChannelSettings): string {
  return `${namespace}${settings.namespaceBoundary}${settings.userBoundary}${user}`;
}
