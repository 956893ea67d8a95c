/** A fixed-row-height virtual list: only the rows in view (and a few around) are in the DOM. */
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';

const OVERSCAN = 8;

export function VirtualRows<T>({ items, rowHeight, render, className, label }: {
  items: readonly T[];
  rowHeight: number;
  render(item: T, index: number): ReactNode;
  className?: string;
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) rows.push(render(items[i]!, i));
  return (
    <div ref={ref} className={className} tabIndex={0} role="rowgroup" aria-label={label}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <div style={{ height: items.length * rowHeight, position: 'relative' }}>
        <div style={{ position: 'absolute', top: first * rowHeight, left: 0, right: 0 }}>{rows}</div>
      </div>
    </div>
  );
}
