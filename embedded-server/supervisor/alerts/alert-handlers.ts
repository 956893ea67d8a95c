/**
 * The admin API's alert methods: `alerts.rules`, `alerts.set-rules` (checked by checkRules: a bad
 * kind, a duplicate, a threshold or hold out of bounds is a 400 that names it) and `alerts.list`.
 * Setting rules is an admin action: it is logged as an event, and audited at the dispatch point.
 */
import type { AdminError, AdminParams, AdminResults } from '../../../shared/admin/admin-api.js';
import { AdminErrors } from '../../../shared/admin/admin-api.js';
import { checkRules } from '../../../shared/admin/alerts-model.js';
import type { AlertRule } from '../../../shared/admin/alerts-model.js';
import type { Result } from '../../../shared/result.js';
import { err, ok } from '../../../shared/result.js';
import { badRequest } from '../admin-errors.js';
import type { Supervisor } from '../supervisor.js';
import type { AlertsService } from './alerts-service.js';

type AlertMethod = 'alerts.rules' | 'alerts.set-rules' | 'alerts.list';
type Handlers = { [M in AlertMethod]: (p: AdminParams<M>, who: string) => Promise<Result<AdminResults[M], AdminError>> };

const none = (): Result<never, AdminError> => err({ code: AdminErrors.notFound, message: 'this cluster evaluates no alerts' });

export function alertHandlers(sv: Supervisor, alerts: AlertsService | undefined): Handlers {
  return {
    'alerts.rules': async () => (alerts ? ok({ rules: alerts.rules() }) : none()),
    'alerts.set-rules': async (p, who) => {
      if (!alerts) return none();
      const checked = checkRules(p.rules);
      if (!checked.ok) return err(badRequest(checked.error));
      const rules = alerts.setRules(checked.value);
      sv.events.emit({ type: 'admin.action', by: who, action: 'alerts.set-rules', detail: summary(rules) });
      return ok({ rules });
    },
    'alerts.list': async (p) => (alerts ? ok(alerts.list(p.limit)) : none()),
  };
}

/** "5 of 7 rules on" — the event's one line. */
function summary(rules: readonly AlertRule[]): string {
  return `${rules.filter((r) => r.enabled).length} of ${rules.length} rules on`;
}
