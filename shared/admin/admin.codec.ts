/**
 * The one codec of the admin boundary. Requests: `{"id":1,"method":"node.kill","params":{…}}`,
 * validated against the method's schema. Responses: `{"id":1,"result":…}` or
 * `{"id":1,"error":{"code","message"}}`. Pushes: `{"push":"snapshot","data":…}`.
 */
import type { Result } from '../result.js';
import { err, ok } from '../result.js';
import type {
  AdminError, AdminMethod, AdminPushFrame, AdminPushName, AdminPushes, AdminRequestFrame, AdminResponseFrame, AdminResults,
} from './admin-api.js';
import { ADMIN_PARAMS, AdminErrors } from './admin-api.js';
import { jsonLimitProblem, PUBLICATION_LIMITS } from '../json-limits.js';

/** Params nest their JSON values a level or two down: twice the publication depth leaves room for that. */
const PARAMS_LIMITS = { maxDepth: PUBLICATION_LIMITS.maxDepth * 2, maxBytes: Number.POSITIVE_INFINITY };

const isMethod = (m: unknown): m is AdminMethod => typeof m === 'string' && Object.hasOwn(ADMIN_PARAMS, m);

/** Parses and validates one request; on failure answers the error to send (with the id when known). */
export function decodeAdminRequest(text: string): Result<AdminRequestFrame, { id: number | null; error: AdminError }> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return err({ id: null, error: { code: AdminErrors.badRequest, message: 'malformed JSON' } });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return err({ id: null, error: { code: AdminErrors.badRequest, message: 'a request is a JSON object {id, method, params}' } });
  }
  const r = raw as Record<string, unknown>;
  const id = typeof r.id === 'number' && Number.isSafeInteger(r.id) ? r.id : null;
  if (id === null) return err({ id: null, error: { code: AdminErrors.badRequest, message: 'id must be an integer' } });
  if (!isMethod(r.method)) {
    return err({ id, error: { code: AdminErrors.notFound, message: `unknown method: ${String(r.method)}` } });
  }
  // The schemas recurse into JSON values: a value nested thousands deep would overflow the stack.
  const tooDeep = jsonLimitProblem(r.params ?? {}, PARAMS_LIMITS);
  if (tooDeep) return err({ id, error: { code: AdminErrors.badRequest, message: `invalid params for ${r.method}: ${tooDeep}` } });
  const parsed = ADMIN_PARAMS[r.method].safeParse(r.params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return err({ id, error: { code: AdminErrors.badRequest, message: `invalid params for ${r.method}: ${where}${issue?.message ?? 'invalid'}` } });
  }
  return ok({ id, method: r.method, params: parsed.data } as AdminRequestFrame);
}

export function encodeAdminResult<M extends AdminMethod>(id: number, result: AdminResults[M]): string {
  return JSON.stringify({ id, result });
}

export function encodeAdminError(id: number | null, error: AdminError): string {
  return JSON.stringify({ id, error: { code: error.code, message: error.message } });
}

export function encodeAdminPush<P extends AdminPushName>(push: P, data: AdminPushes[P]): string {
  return JSON.stringify({ push, data });
}

/** Client side: one server frame, a response or a push. */
export function decodeAdminServerFrame(text: string): Result<AdminResponseFrame | AdminPushFrame, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return err('malformed JSON from the admin API');
  }
  if (typeof raw !== 'object' || raw === null) return err('unexpected frame from the admin API');
  const r = raw as Record<string, unknown>;
  if (typeof r.push === 'string') return ok(raw as AdminPushFrame);
  if ('result' in r || 'error' in r) return ok(raw as AdminResponseFrame);
  return err('unexpected frame from the admin API');
}

/** The params a caller sends for a method (defaults may be left out). */
export type { AdminParamsInput } from './admin-api.js';
