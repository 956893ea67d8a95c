/**
 * The one codec of the control bus (control-messages.ts): JSON text on the wire, checked on the way
 * in so a stranger's message on the channel is refused with a reason instead of reaching a listener.
 */
import type { Result } from '../result.js';
import { assertNever, err, ok } from '../result.js';
import type { ControlMessage, EmulationFrame, SupervisorHeartbeat, SurveyAnswer, SurveyAsk } from './control-messages.js';
import { CONTROL_MESSAGE_TYPES, MAX_COUNTED_NODES } from './control-messages.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isKnownType = (t: unknown): t is ControlMessage['type'] => typeof t === 'string' && Object.hasOwn(CONTROL_MESSAGE_TYPES, t);

/** The text a control message travels as. */
export function encodeControlMessage(message: ControlMessage): string {
  return JSON.stringify(message);
}

/** Parses one control message; an error names what was wrong (for a log line), never throws. */
export function decodeControlMessage(text: string): Result<ControlMessage, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return err('malformed JSON');
  }
  if (!isRecord(raw)) return err('a control message is a JSON object');
  if (!isKnownType(raw.type)) return err(`unknown control message type: ${String(raw.type).slice(0, 64)}`);
  const type = raw.type;
  switch (type) {
    case 'supervisor.heartbeat':
      return checked(type, heartbeatProblem(raw), raw as unknown as SupervisorHeartbeat);
    case 'survey.ask':
      return checked(type, askProblem(raw), raw as unknown as SurveyAsk);
    case 'survey.answer':
      return checked(type, answerProblem(raw), raw as unknown as SurveyAnswer);
    case 'emulation.frame':
      return checked(type, ['to', 'node', 'session', 'data'].every((k) => isString(raw[k])) ? undefined : 'to, node, session and data must be strings', raw as unknown as EmulationFrame);
    default:
      return assertNever(type);
  }
}

function checked<T extends ControlMessage>(type: string, problem: string | undefined, message: T): Result<ControlMessage, string> {
  return problem ? err(`bad ${type}: ${problem}`) : ok(message);
}

const isString = (v: unknown): v is string => typeof v === 'string';

function askProblem(m: Record<string, unknown>): string | undefined {
  if (!isString(m.id) || !isString(m.from) || !isString(m.op)) return 'id, from and op must be strings';
  if (!Array.isArray(m.to) || !m.to.every(isString)) return 'to must be a list of supervisor ids';
  if (!('params' in m)) return 'params is required';
  return undefined;
}

function answerProblem(m: Record<string, unknown>): string | undefined {
  if (!isString(m.id) || !isString(m.from) || !isString(m.to)) return 'id, from and to must be strings';
  if (m.error !== undefined && !isString(m.error)) return 'error must be a string';
  if (m.error === undefined && !('result' in m)) return 'an answer holds a result or an error';
  return undefined;
}

function heartbeatProblem(m: Record<string, unknown>): string | undefined {
  if (typeof m.supervisor !== 'string') return 'supervisor must be a string';
  if (typeof m.at !== 'number') return 'at must be a number';
  if (!Array.isArray(m.nodes) || !m.nodes.every((n) => isRecord(n) && typeof n.id === 'string' && typeof n.incarnation === 'string')) {
    return 'nodes must be a list of {id, incarnation, state}';
  }
  const t = m.totals;
  if (!isRecord(t) || typeof t.connections !== 'number' || typeof t.subscriptions !== 'number' || typeof t.publications !== 'number') {
    return 'totals must hold connections, subscriptions and publications';
  }
  return m.alertCounts === undefined ? undefined : alertCountsProblem(m.alertCounts);
}

const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function alertCountsProblem(c: unknown): string | undefined {
  if (!isRecord(c)) return 'alertCounts must be an object';
  for (const k of ['slow', 'notRecovered'] as const) {
    const perNode = c[k];
    if (!isRecord(perNode) || Object.keys(perNode).length > MAX_COUNTED_NODES || !Object.values(perNode).every(isCount)) {
      return `alertCounts.${k} must map at most ${MAX_COUNTED_NODES} node ids to whole counts`;
    }
  }
  return isCount(c.publishErrors) ? undefined : 'alertCounts.publishErrors must be a whole count';
}
