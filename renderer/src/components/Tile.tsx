/** One headline figure. */
import type { ReactNode } from 'react';

export function Tile({ label, value, sub, testId }: { label: string; value: ReactNode; sub?: ReactNode; testId?: string }) {
  return (
    <div className="tile">
      <div className="label">{label}</div>
      <div className="value" data-testid={testId}>{value}</div>
      {sub ? <div className="sub">{sub}</div> : null}
    </div>
  );
}
