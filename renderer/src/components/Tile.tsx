/** One headline figure; `tone` marks one that needs a look (e.g. publications lost). */
import type { ReactNode } from 'react';

export function Tile({ label, value, sub, testId, tone }: {
  label: string; value: ReactNode; sub?: ReactNode; testId?: string; tone?: 'warn' | 'bad';
}) {
  return (
    <div className={tone ? `tile tile-${tone}` : 'tile'} data-tone={tone}>
      <div className="label">{label}</div>
      <div className="value" data-testid={testId}>{value}</div>
      {sub ? <div className="sub">{sub}</div> : null}
    </div>
  );
}
