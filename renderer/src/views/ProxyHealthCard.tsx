/**
 * The Overview's Proxies card: one row per backend proxy endpoint of the config, with its calls and
 * errors per second, error share and p99 latency over the nodes' last report period, and its totals.
 */
import { useMemo } from 'react';
import { useCluster } from '../stores/cluster.store.js';
import { proxyRows } from './proxies.model.js';

const NBSP = '\u00a0';

export function ProxyHealthCard() {
  const proxies = useCluster((s) => s.snapshot?.proxies);
  const rows = useMemo(() => proxyRows(proxies ?? []), [proxies]);
  return (
    <section className="card ov-proxies" aria-labelledby="ov-proxies-title" data-testid="proxy-health">
      <div className="ov-card-head">
        <div>
          <h2 id="ov-proxies-title">Proxies</h2>
          {rows.length > 0 ? (
            <div className="muted ov-card-sub">
              Backend calls over the nodes' last report period, summed over the nodes. Latency is counted in buckets:
              "p99{NBSP}≤{NBSP}50{NBSP}ms" means 99% of the calls took at most 50{NBSP}ms.
            </div>
          ) : <div className="muted ov-card-sub">Backend calls the nodes make for clients</div>}
        </div>
      </div>
      {!proxies ? <p className="muted">Waiting for the first snapshot…</p> : rows.length === 0 ? (
        <p className="muted ov-proxies-empty" data-testid="proxy-health-empty">
          No proxies are configured. To have the nodes call your backend on connect, refresh, subscribe, publish or RPC, set
          them in the config file's <code>client.proxy</code>, <code>channel.proxy</code>, <code>rpc.proxy</code> or <code>proxies</code> sections.
        </p>
      ) : (
        <table className="data ov-proxy-table">
          <thead>
            <tr>
              <th scope="col">Proxy and endpoint</th>
              <th scope="col" className="num">Calls</th>
              <th scope="col" className="num">Errors</th>
              <th scope="col" className="num" title="Failed calls of the calls in the same period">Error share</th>
              <th scope="col" className="num" title="99th percentile of the call durations: the upper bound of the latency bucket that holds it">p99 latency</th>
              <th scope="col" className="num">Since start</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name} data-testid={`proxy-row-${r.name}`}>
                <td>
                  <div className="mono ov-proxy-name" title={r.name} data-testid="proxy-name">{r.name}</div>
                  <div className="mono muted ov-proxy-endpoint" title={r.endpoint} data-testid="proxy-endpoint">{r.endpoint}</div>
                </td>
                <td className="num" data-testid="proxy-calls">{r.calls}</td>
                <td className="num"><span className={r.failing ? 'ov-warn' : undefined} data-testid="proxy-errors">{r.errors}</span></td>
                <td className="num" data-testid="proxy-share">{r.share}</td>
                <td className="num" data-testid="proxy-p99">{r.p99}</td>
                <td className="num muted">
                  <div data-testid="proxy-total-calls">{r.totalCalls}</div>
                  <div data-testid="proxy-total-failed">{r.totalFailed}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
