/**
 * A tiny inline SVG line of the last values (no chart library, cheap to render per table row).
 * With `slots`, the width stands for that many values and the line sits at its right end, so a
 * young series takes only part of the width, as on the charts' fixed 5-minute axis.
 */
export function Sparkline({ values, width = 96, height = 24, color = 'var(--chart-1)', slots }: {
  values: readonly number[]; width?: number; height?: number; color?: string; slots?: number;
}) {
  const shown = slots !== undefined && values.length > slots ? values.slice(-slots) : values;
  if (shown.length < 2) return <svg width={width} height={height} aria-hidden="true" />;
  const span = Math.max(shown.length, slots ?? 0);
  const first = span - shown.length;
  const max = Math.max(1, ...shown);
  const step = width / (span - 1);
  const d = shown.map((v, i) => `${i === 0 ? 'M' : 'L'}${((first + i) * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`).join('');
  return (
    <svg width={width} height={height} aria-hidden="true">
      <line x1="0" y1={height - 2} x2={width} y2={height - 2} stroke="var(--border)" strokeWidth="1" strokeDasharray="2 2" />
      <path d={d} fill="none" stroke={color} strokeWidth="1.5" />
    </svg>
  );
}
