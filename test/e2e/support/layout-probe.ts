/**
 * What the console draws, measured in the page: a node chart's time window, plot, lines and key,
 * and the boxes of elements (to tell whether one covers another or overflows its container). The
 * page code is passed as strings, as in console-pages.ts: tsx would wrap named inner functions in
 * a helper the page lacks.
 */
import type { Locator, Page } from 'playwright-core';

/** A box on the page, in CSS pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One node chart as drawn. */
export interface ChartDrawing {
  /** The x axis domain, from the chart's data attributes (ms since the epoch). */
  windowStart: number;
  windowEnd: number;
  /** The plotting area (the grid), in page coordinates. */
  plot: Box;
  /** The shaded stretch with no samples, or null. */
  emptyLead: Box | null;
  /** Each node's line (or the stacked areas' outlines and the total): its box and its dash pattern ('' when solid). */
  lines: { box: Box; dash: string; stroke: string }[];
  /** The x axis labels, left to right. */
  ticks: string[];
  /** The legend: each entry's node and value as shown. */
  legend: { node: string; value: string }[];
}

const BOX = 'const box = (r) => ({ x: r.x, y: r.y, width: r.width, height: r.height });';

/** Measures the `index`-th node chart on the page (0: the first). */
export async function drawChart(page: Page, index = 0): Promise<ChartDrawing> {
  return page.evaluate<ChartDrawing>(`(() => {
    ${BOX}
    const chart = document.querySelectorAll('[data-testid="series-chart"]')[${index}];
    if (!chart) throw new Error('no chart ${index}');
    const lead = chart.querySelector('.recharts-reference-area rect, .recharts-reference-area path');
    const curves = [...chart.querySelectorAll('.recharts-line-curve, .recharts-area-curve')];
    return {
      windowStart: Number(chart.getAttribute('data-window-start')),
      windowEnd: Number(chart.getAttribute('data-window-end')),
      plot: box(chart.querySelector('.recharts-cartesian-grid').getBoundingClientRect()),
      emptyLead: lead ? box(lead.getBoundingClientRect()) : null,
      lines: curves.map((c) => ({ box: box(c.getBoundingClientRect()), dash: c.getAttribute('stroke-dasharray') ?? '', stroke: c.getAttribute('stroke') ?? '' })),
      ticks: [...chart.querySelectorAll('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value')].map((t) => t.textContent ?? ''),
      legend: [...chart.querySelectorAll('[data-testid="series-legend-item"]')].map((li) => ({
        node: li.getAttribute('data-node') ?? '',
        value: (li.querySelector('.series-key-value')?.textContent ?? '').trim(),
      })),
    };
  })()`);
}

/** The boxes of every element a selector matches, in page coordinates. */
export async function boxesOf(page: Page, selector: string): Promise<Box[]> {
  return page.evaluate<Box[]>(`(() => {
    ${BOX}
    return [...document.querySelectorAll(${JSON.stringify(selector)})].map((el) => box(el.getBoundingClientRect()));
  })()`);
}

/** How wide an element's content is against its visible width (content scrolls sideways when scroll > client). */
export async function widths(locator: Locator): Promise<{ scroll: number; client: number }> {
  return locator.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
}

/** True when two boxes share any area. */
export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** True when `inner` lies within `outer` (a pixel of rounding allowed). */
export function inside(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x - 1 && inner.y >= outer.y - 1
    && inner.x + inner.width <= outer.x + outer.width + 1 && inner.y + inner.height <= outer.y + outer.height + 1;
}

/** Something on the page that makes it, or a part of it, scroll sideways. */
export interface SidewaysOverflow {
  /** Tag, classes and test id of the element, for the failure message. */
  what: string;
  /** 'scroller': a box that scrolls sideways (scrollWidth > clientWidth); 'edge': a box past the right edge of the window. */
  kind: 'scroller' | 'edge';
  /** How many pixels too wide. */
  by: number;
}

/**
 * What scrolls sideways under `root` (and the document itself): every scrolling box whose content
 * is wider than it, and every element past the window's right edge that no scrolling or clipping
 * box contains. A cell that cuts its text with an ellipsis (overflow hidden) is not sideways
 * scrolling and is not reported.
 */
export async function sidewaysOverflow(page: Page, root = 'main.content'): Promise<SidewaysOverflow[]> {
  return page.evaluate<SidewaysOverflow[]>(`(() => {
    const root = document.querySelector(${JSON.stringify(root)});
    if (!root) throw new Error('no ${root}');
    const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
      + (el.getAttribute('data-testid') ? '[' + el.getAttribute('data-testid') + ']' : '');
    const out = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) out.push({ what: 'document', kind: 'scroller', by: doc.scrollWidth - doc.clientWidth });
    const right = doc.clientWidth;
    const clipped = (el) => {
      for (let p = el.parentElement; p && p !== root.parentElement; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') return true;
      }
      return false;
    };
    for (const el of [root, ...root.querySelectorAll('*')]) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || el.clientWidth === 0 && el.getBoundingClientRect().width === 0) continue;
      if ((style.overflowX === 'auto' || style.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
        out.push({ what: name(el), kind: 'scroller', by: el.scrollWidth - el.clientWidth });
      }
      const box = el.getBoundingClientRect();
      if (box.width > 0 && box.right > right + 1 && !clipped(el)) out.push({ what: name(el), kind: 'edge', by: Math.round(box.right - right) });
    }
    return out;
  })()`);
}
