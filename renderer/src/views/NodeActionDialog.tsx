/** Confirms a node action, naming the node and what happens to its clients; hang and partition ask for seconds. */
import { useEffect, useRef, useState } from 'react';
import type { NodeSnapshot } from '../../../shared/admin/admin-model.js';
import { assertNever } from '../../../shared/result.js';
import { call } from '../bridge/bridge.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import type { NodeAction } from './nodes.model.js';
import { DRAIN_RATES } from '../../../shared/admin/admin-model.js';
import { actionPlan, DEFAULT_FAULT_SECONDS, doneText, MAX_FAULT_SECONDS, parseRate, parseSeconds, takesSeconds } from './nodes.model.js';

export function NodeActionDialog({ action, node, autoRestart, onClose }: {
  action: NodeAction; node: NodeSnapshot; autoRestart: boolean; onClose(): void;
}) {
  const [secondsText, setSecondsText] = useState(String(DEFAULT_FAULT_SECONDS));
  const [rateText, setRateText] = useState(String(DRAIN_RATES.default));
  const rate = parseRate(rateText);
  const secondsRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // The dialog focuses Cancel when it opens; where it asks for a number, that is what one types first.
    const t = setTimeout(() => { secondsRef.current?.focus(); secondsRef.current?.select(); }, 0);
    return () => clearTimeout(t);
  }, []);
  const seconds = parseSeconds(secondsText);
  const plan = actionPlan(action, node, autoRestart, seconds);
  const confirm = (): void => {
    if (takesSeconds(action) && seconds === null) return;
    if (action === 'remove' && rate === null) return;
    onClose();
    void runNodeAction(action, node.id, seconds ?? DEFAULT_FAULT_SECONDS, rate ?? DRAIN_RATES.default);
  };
  return (
    <ConfirmDialog title={plan.title} confirmLabel={plan.confirmLabel} onConfirm={confirm} onCancel={onClose}>
      {takesSeconds(action) ? (
        <div className="nodes-seconds">
          <label htmlFor="fault-seconds">Duration (seconds)</label>
          <input id="fault-seconds" type="text" inputMode="numeric" size={6} value={secondsText} ref={secondsRef}
            aria-invalid={seconds === null}
            onChange={(e) => setSecondsText(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); confirm(); } }} />
          {seconds === null ? <span className="nodes-invalid">A whole number from 1 to {MAX_FAULT_SECONDS}</span> : null}
        </div>
      ) : null}
      {action === 'remove' ? (
        <div className="nodes-seconds">
          <label htmlFor="drain-rate">Clients per second</label>
          <input id="drain-rate" type="text" inputMode="numeric" size={6} value={rateText} ref={secondsRef}
            aria-invalid={rate === null}
            onChange={(e) => setRateText(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); confirm(); } }} />
          {rate === null ? <span className="nodes-invalid">A whole number from {DRAIN_RATES.min} to {DRAIN_RATES.max}</span> : null}
        </div>
      ) : null}
      <p className="nodes-consequence">{plan.consequence}</p>
    </ConfirmDialog>
  );
}

/** Sends the action; the toast says it worked or what the server answered. The new state arrives with the next snapshot. */
function runNodeAction(action: NodeAction, node: string, seconds: number, rate: number): Promise<unknown> {
  switch (action) {
    case 'kill': return call('node.kill', { node }, () => doneText(action, node, seconds));
    case 'hang': return call('node.hang', { node, seconds }, () => doneText(action, node, seconds));
    case 'partition': return call('node.partition', { node, seconds }, () => doneText(action, node, seconds));
    case 'drop': return call('node.drop', { node }, (r) => doneText(action, node, seconds, r));
    case 'restart': return call('node.restart', { node }, () => doneText(action, node, seconds));
    case 'remove': return call('node.remove', { node, rate }, (r) => doneText(action, node, seconds, r));
    default: return assertNever(action);
  }
}
