/**
 * The one place admin actions are audited: every call through the admin backend's dispatch point
 * that is not a query (shared/admin/audit-model.ts, isAudited) leaves an entry with who asked, what,
 * its reach and its result — also when the action fails or throws. Recording never fails the action.
 */
import type { AdminError } from '../../shared/admin/admin-api.js';
import { isAudited } from '../../shared/admin/audit-model.js';
import type { Result } from '../../shared/result.js';
import { EngineError } from '../engine/engine.js';
import type { AuditLog } from './audit-log.js';
import { auditParams, auditReach, auditResult, auditTarget } from './audit-record.js';

type Run<T> = () => Promise<Result<T, AdminError>>;

/** Runs an admin call and records it in `audit` when it is an action. */
export async function audited<T>(audit: AuditLog | undefined, supervisor: string, call: { method: string; params: unknown; who: string }, run: Run<T>): Promise<Result<T, AdminError>> {
  if (!audit || !isAudited(call.method)) return run();
  const at = Date.now();
  let answer: Result<T, AdminError>;
  try {
    answer = await run();
  } catch (e) {
    // The admin connection answers 500 for it; the audit says what failed, without a stack.
    record(audit, supervisor, call, at, { ok: false, error: { code: 500, message: e instanceof EngineError ? e.message : 'internal error' } }, null);
    throw e;
  }
  record(audit, supervisor, call, at, answer, answer.ok ? auditReach(answer.value) : null);
  return answer;
}

function record(
  audit: AuditLog, supervisor: string, call: { method: string; params: unknown; who: string }, at: number,
  answer: Result<unknown, AdminError>, reach: number | null,
): void {
  try {
    audit.append({
      at, who: call.who, supervisor, action: call.method, target: auditTarget(call.params),
      params: auditParams(call.params), reach, result: auditResult(answer), ms: Date.now() - at,
    });
  } catch (e) {
    process.stderr.write(`switchboard: audit log: recording ${call.method} failed: ${(e as Error).message}\n`);
  }
}
