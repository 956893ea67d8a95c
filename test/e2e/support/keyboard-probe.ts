/**
 * Keyboard checks of a console page: Tab from the top of the document through every stop, noting
 * which controls were reached and whether each showed a focus ring (a computed outline or
 * box-shadow), and which scrollable regions a keyboard user could not focus to scroll. The page
 * side runs as string expressions: the test project has no DOM types.
 */
import type { Page } from 'playwright-core';

const MARK = 'data-tab-probe';

/** What a walk with Tab found. */
export interface TabWalk {
  /** Tab stops visited before focus came back round (or the bound was hit). */
  reached: number;
  /** Controls that take focus from Tab and stayed on the page, but were never focused. */
  unreached: string[];
  /** Controls that were focused with no visible outline or box-shadow. */
  noRing: string[];
}

// A short readable name of an element, for failure messages.
const DESCRIBE = `(el) => {
  const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('placeholder') || el.getAttribute('name') || el.id || '').replace(/\\s+/g, ' ').trim().slice(0, 50);
  return el.tagName.toLowerCase() + (el.getAttribute('role') ? '[role=' + el.getAttribute('role') + ']' : '') + ' "' + name + '"';
}`;

// Controls a sighted keyboard user must reach with Tab: shown, enabled, not inert, tabIndex >= 0.
// Of a radio group only one radio is a Tab stop, so radios are keyed by their group's name.
const TABBABLE = `() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')].filter((el) => {
  if (el.tabIndex < 0 || el.disabled || el.closest('[inert], [aria-hidden="true"]')) return false;
  if (el.type === 'hidden') return false;
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
})`;

const KEY = `(el) => el.type === 'radio' && el.name ? 'radio:' + el.name : el.getAttribute('${MARK}')`;

/**
 * Tabs through the page until focus returns to the first stop it took (at most `maxStops`), and
 * answers which marked controls were never reached and which showed no focus ring.
 */
export async function tabThrough(page: Page, maxStops = 400): Promise<TabWalk> {
  await page.evaluate(`(() => {
    const tabbable = (${TABBABLE})();
    tabbable.forEach((el, i) => el.setAttribute('${MARK}', String(i)));
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  })()`);
  const seen = new Set<string>();
  const noRing = new Set<string>();
  let first: string | null = null;
  let reached = 0;
  let wraps = 0;
  for (let presses = 0; presses < maxStops; presses++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate<{ key: string | null; ring: boolean; name: string } | null>(`(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
      const shadow = s.boxShadow !== 'none' && s.boxShadow !== '';
      return { key: (${KEY})(el), ring: outline || shadow, name: (${DESCRIBE})(el) };
    })()`);
    // Past the last control focus leaves the document; the next Tab starts again from the top.
    // (Chromium may start the walk after the last clicked element rather than at the top.)
    if (stop === null) {
      if (++wraps > 2) break;
      continue;
    }
    const key = stop.key ?? `unmarked:${stop.name}`;
    if (key === first) break;
    first ??= key;
    reached++;
    seen.add(key);
    if (!stop.ring) noRing.add(stop.name);
  }
  const unreached = await page.evaluate<string[]>(`(() => {
    const seen = new Set(${JSON.stringify([...seen])});
    return (${TABBABLE})().filter((el) => el.hasAttribute('${MARK}') && !seen.has((${KEY})(el))).map(${DESCRIBE});
  })()`);
  return { reached, unreached, noRing: [...noRing] };
}

/**
 * Regions that scroll (content larger than the box, overflow auto or scroll) yet cannot be
 * focused, neither themselves nor through a focusable control inside: a keyboard user could
 * not scroll them. Answers their descriptions.
 */
export function unfocusableScrollers(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => [...document.querySelectorAll('body *')].filter((el) => {
    const s = getComputedStyle(el);
    const scrollsY = /auto|scroll/.test(s.overflowY) && el.scrollHeight > el.clientHeight + 1;
    const scrollsX = /auto|scroll/.test(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
    if (!scrollsY && !scrollsX) return false;
    if (el.tabIndex >= 0) return false;
    return !(${TABBABLE})().some((c) => el.contains(c));
  }).map((el) => el.className ? el.tagName.toLowerCase() + '.' + String(el.className).split(' ').join('.') : el.tagName.toLowerCase()))()`);
}
