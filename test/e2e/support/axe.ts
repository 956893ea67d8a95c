/**
 * axe-core in a Playwright page: injects the installed axe.min.js and runs it on the page as it
 * is now (the whole document, dialogs included), answering its violations. `assertNoSeriousViolations`
 * fails with a readable list — rule, impact, the elements' selectors and axe's summary of what is
 * wrong — for every violation whose impact is serious or critical.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeSource: string | undefined;

export type AxeImpact = 'minor' | 'moderate' | 'serious' | 'critical';

/** One failing element of a violation. */
export interface AxeNode {
  /** CSS selectors that find the element (one per frame / shadow root). */
  target: string[];
  /** axe's own summary of what to fix ("Fix any of the following: …"). */
  failureSummary?: string;
  html: string;
}

/** One rule that failed, with every element it failed on. */
export interface AxeViolation {
  id: string;
  impact: AxeImpact | null;
  help: string;
  nodes: AxeNode[];
}

/** The impacts that fail a check. */
export const BLOCKING: readonly AxeImpact[] = ['serious', 'critical'];

/**
 * Runs axe on the page (injecting it once per document) and answers its violations. The console's
 * CSP (script-src 'self') refuses an added <script> tag, so axe's source is evaluated through the
 * DevTools protocol, which the page's CSP does not govern. The run is a string expression: the
 * test project has no DOM types, and axe lives only in the page.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate<boolean>("typeof window.axe === 'object'"))) {
    axeSource ??= readFileSync(AXE_PATH, 'utf8');
    await page.evaluate(`${axeSource}\n;void 0`);
    if (!(await page.evaluate<boolean>("typeof window.axe === 'object'"))) throw new Error(`axe-core (${AXE_PATH}) did not load in the page`);
  }
  return page.evaluate<AxeViolation[]>(`(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact ?? null, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary, html: n.html.slice(0, 200) })),
    }));
  })()`);
}

/** Violations counted by impact: { serious: 2, minor: 1 }. */
export function countByImpact(violations: readonly AxeViolation[]): Partial<Record<AxeImpact, number>> {
  const out: Partial<Record<AxeImpact, number>> = {};
  for (const v of violations) {
    const k = v.impact ?? 'minor';
    out[k] = (out[k] ?? 0) + v.nodes.length;
  }
  return out;
}

/** A readable list of violations: one paragraph per rule, one line per element (at most 8 per rule). */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations.map((v) => {
    const lines = v.nodes.slice(0, 8).map((n) => `    ${n.target.join(' > ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').trim()}`);
    if (v.nodes.length > 8) lines.push(`    … and ${v.nodes.length - 8} more`);
    return `  ${v.id} (${v.impact ?? 'no impact'}): ${v.help}\n${lines.join('\n')}`;
  }).join('\n');
}

/** Throws, naming `where` and listing them, if any of the violations is serious or critical. */
export function assertNoSerious(violations: readonly AxeViolation[], where: string): void {
  const blocking = violations.filter((v) => v.impact !== null && BLOCKING.includes(v.impact));
  if (blocking.length > 0) {
    throw new Error(`axe-core found ${blocking.length} serious or critical violation(s) in ${where}:\n${describeViolations(blocking)}`);
  }
}

/** Runs axe and throws (see `assertNoSerious`) on a serious or critical violation; answers all violations. */
export async function assertNoSeriousViolations(page: Page, where: string): Promise<AxeViolation[]> {
  const violations = await runAxe(page);
  assertNoSerious(violations, where);
  return violations;
}
