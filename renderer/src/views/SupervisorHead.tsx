/**
 * The heading row of one supervisor's nodes in the Nodes table (shown only when several
 * supervisors share the engine): its id, whether it is the one this console talks to, the age of
 * its last heartbeat (flagged past 2 s), its engine link and its counts.
 */
import type { SupervisorGroup } from './supervisors.model.js';
import { groupHeading } from './supervisors.model.js';

export function SupervisorHead({ group, at, columns }: { group: SupervisorGroup; at: number; columns: number }) {
  const h = groupHeading(group, at);
  return (
    <tbody className="nodes-group" data-testid={`supervisor-group-${h.id}`} data-supervisor={h.id}>
      <tr>
        <th colSpan={columns} scope="rowgroup">
          <div className="nodes-group-head">
            <span className="nodes-group-id" data-testid="supervisor-id">{h.id}</span>
            {h.self ? <span className="nodes-group-self" title="The supervisor this console is connected to">this supervisor</span> : null}
            <span className={`nodes-group-beat${h.heartbeatLate ? ' late' : ''}`} data-testid="supervisor-heartbeat"
              title="When its last heartbeat was heard here; a supervisor silent for 3 s leaves with its nodes">
              {h.heartbeat}
            </span>
            <span className="nodes-group-link" title="Its link to the engine, as it reports it">
              engine {h.link ? <span className={`badge link-${h.link}`} data-testid="supervisor-link">{h.link}</span> : '—'}
            </span>
            <span className="spacer" />
            <span className="nodes-group-counts" data-testid="supervisor-counts">{h.counts}</span>
          </div>
          {group.nodes.length === 0 ? <div className="nodes-group-empty">No node reported in its heartbeat.</div> : null}
        </th>
      </tr>
    </tbody>
  );
}
