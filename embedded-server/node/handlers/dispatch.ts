/**
 * Runs a connection's commands strictly in arrival order, one at a time (Centrifugo's default):
 * the client sends connect and its subscribes in one frame before the connect reply.
 */
import type { Command } from '../../../shared/protocol/client-protocol.js';
import { Disconnects, Errors } from '../../../shared/protocol/codes.js';
import { assertNever } from '../../../shared/result.js';
import type { RateLimitedMethod } from '../../../shared/protocol/client-limits.js';
import { chargeMethod } from '../command-budget.js';
import type { NodeRuntime } from '../node-runtime.js';
import type { Session } from '../session.js';
import { handleHistory, handlePresence, handlePublish } from './channel-commands.js';
import { handleConnect } from './connect.js';
import { handleRefresh, handleSubRefresh } from './refresh.js';
import { handleRpc, handleSend } from './rpc.js';
import { handleSubscribe, handleUnsubscribe } from './subscribe.js';

/**
 * Queues decoded commands and runs them unless a run is already in progress. While more than
 * `client.frame_command_limit` commands wait, the socket is not read (TCP backpressure, as
 * Centrifugo's read loop reads the next frame only once the previous one was handled).
 */
export function enqueueCommands(rt: NodeRuntime, s: Session, commands: Command[]): void {
  for (const c of commands) s.queue.push(c);
  if (s.queue.length > rt.client.frameCommandLimit && !s.ws.isPaused) s.ws.pause();
  if (s.busy) return;
  void run(rt, s);
}

async function run(rt: NodeRuntime, s: Session): Promise<void> {
  s.busy = true;
  const resumeAt = rt.client.frameCommandLimit >> 1;
  try {
    while (s.queue.length > 0 && !s.isClosing()) {
      const cmd = s.queue.shift()!;
      if (s.queue.length <= resumeAt && s.ws.isPaused) s.ws.resume();
      const pending = handle(rt, s, cmd);
      if (pending) await pending;
    }
  } catch (e) {
    // A handler bug must not take the node down: this client is closed, everyone else goes on.
    process.stderr.write(`switchboard node ${rt.init.nodeId}: command failed: ${(e as Error).stack ?? e}\n`);
    s.close(Disconnects.internal);
  } finally {
    s.queue.length = 0;
    s.busy = false;
  }
}

function handle(rt: NodeRuntime, s: Session, cmd: Command): Promise<void> | void {
  if (cmd.method === 'pong') {
    s.pongDeadline = 0;
    return;
  }
  if (cmd.method === 'send') return handleSend(rt, s, cmd.params.data);
  if (s.state !== 'connected' && cmd.method !== 'connect') return s.close(Disconnects.badRequest);
  const kind = rateLimitedKind(cmd.method);
  if (kind !== null) {
    const verdict = chargeMethod(s, kind, Date.now(), rt.client.methodRateLimit[kind]);
    if (verdict === 'cut') return s.close(Disconnects.tooManyRequests);
    if (verdict === 'limited') return rt.replyError(s, cmd.id, Errors.tooManyRequests);
  }
  switch (cmd.method) {
    case 'connect': return handleConnect(rt, s, cmd.id, cmd.params);
    case 'subscribe': return handleSubscribe(rt, s, cmd.id, cmd.params);
    case 'unsubscribe': return handleUnsubscribe(rt, s, cmd.id, cmd.params.channel);
    case 'publish': return handlePublish(rt, s, cmd.id, cmd.params);
    case 'presence': return handlePresence(rt, s, cmd.id, cmd.params.channel, false);
    case 'presence_stats': return handlePresence(rt, s, cmd.id, cmd.params.channel, true);
    case 'history': return handleHistory(rt, s, cmd.id, cmd.params);
    case 'rpc': return handleRpc(rt, s, cmd.id, cmd.params);
    case 'ping': return rt.replyError(s, cmd.id, Errors.notAvailable);
    case 'refresh': return handleRefresh(rt, s, cmd.id, cmd.params.token);
    case 'sub_refresh': return handleSubRefresh(rt, s, cmd.id, cmd.params.channel, cmd.params.token);
    default: return assertNever(cmd);
  }
}

/** The `client.method_rate_limit` kind a command counts against; null for kinds without one. */
function rateLimitedKind(method: Command['method']): RateLimitedMethod | null {
  switch (method) {
    case 'publish':
    case 'subscribe':
    case 'presence':
    case 'history':
      return method;
    case 'presence_stats':
      return 'presence';
    default:
      return null;
  }
}
