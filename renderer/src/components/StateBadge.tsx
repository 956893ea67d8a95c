/** A node's state as a coloured badge. */
import type { NodeState } from '../../../shared/admin/admin-model.js';

export function StateBadge({ state }: { state: NodeState }) {
  return <span className={`badge state-${state}`} data-testid="node-state">{state}</span>;
}
