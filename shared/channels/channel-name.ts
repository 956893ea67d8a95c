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

/** Resolves a channel to its namespace options; 107 for a bad name, 102 for an unknown namespace. */
export function parseChannel(channel: string, settings: ChannelSettings): Result<ChannelName, AppError> {
  if (channel.length === 0 || channel.length > settings.maxLength || !ASCII.test(channel)) return err(Errors.badRequest);
  const isPrivate = settings.privatePrefix !== '' && channel.startsWith(settings.privatePrefix);
  const unprefixed = isPrivate ? channel.slice(settings.privatePrefix.length) : channel;
  const boundary = unprefixed.indexOf(settings.namespaceBoundary);
  const namespace = boundary >= 0 ? unprefixed.slice(0, boundary) : '';
  const rest = boundary >= 0 ? unprefixed.slice(boundary + settings.namespaceBoundary.length) : unprefixed;
  const options = namespace === '' ? settings.withoutNamespace : settings.namespaces[namespace];
  if (options === undefined) return err(Errors.unknownChannel);
  const hash = channel.lastIndexOf(settings.userBoundary);
  const allowedUsers = hash >= 0 ? channel.slice(hash + settings.userBoundary.length).split(settings.userSeparator) : null;
  return ok({ channel, namespace, options, isPrivate, allowedUsers, rest });
}

/** The personal channel of a user in a namespace, e.g. `personal:#alice`. */
export function personalChannel(namespace: string, user: string, settings: ChannelSettings): string {
  return `${namespace}${settings.namespaceBoundary}${settings.userBoundary}${user}`;
}
