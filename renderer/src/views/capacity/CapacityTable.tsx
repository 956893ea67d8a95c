/** The what-if table: N nodes on each of M machines → max connections, deliveries/s, and what binds first. */
import type { CapacityRow } from '../../../../shared/admin/capacity-model.js';
import { figure, limitName } from '../../stores/capacity.model.js';

export function CapacityTable({ rows, currentNodes }: { rows: CapacityRow[]; currentNodes: number }) {
  return (
    // Focusable: a narrow window scrolls it sideways, and keyboard users must reach that too.
    <div className="capacity-scroll" tabIndex={0} role="region" aria-label="What-if table">
      <table className="data capacity-table" data-testid="capacity-table">
        <caption className="sr-only">Projected capacity by nodes per machine and machines</caption>
        <thead>
          <tr>
            <th scope="col" className="num">Nodes per machine</th><th scope="col" className="num">Machines</th>
            <th scope="col" className="num">Max connections</th><th scope="col" className="num">Max deliveries/s</th><th scope="col">Binds first</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.nodesPerMachine}x${r.machines}`} data-testid="capacity-row" data-nodes={r.nodesPerMachine} data-machines={r.machines}
              className={r.nodesPerMachine === currentNodes ? 'current' : undefined}>
              <td className="num">{r.nodesPerMachine}{r.nodesPerMachine === currentNodes ? <span className="muted"> (now)</span> : null}</td>
              <td className="num">{r.machines}</td>
              <td className="num">{figure(r.maxConnections)}</td>
              <td className="num">{figure(r.maxDeliveriesPerSec)}</td>
              <td>{limitName(r.binding)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
