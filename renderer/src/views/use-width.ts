/** Element width for layouts chosen by the room they get (the Nodes table), rather than by the window's. */
import { useLayoutEffect, useState } from 'react';
import type { RefObject } from 'react';

/** The inner width of the element, following its resizes (0 until it is measured). */
export function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  // Measured before paint, so a layout chosen by width does not show the other one first.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}
