/** axe-core in a real browser page: the WCAG 2.0/2.1 A and AA findings (BITV 2.0) of the page as it stands. */
import { expect } from '@jest/globals';
import type { Page } from 'playwright-core';

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

interface AxeResult {
  violations: AxeFinding[];
  passes: unknown[];
}

/** The findings, empty when none; the page must load axe itself (tests use bypassCSP, as the app allows no inline script). */
export async function axeFindings(p: Page): Promise<AxeFinding[]> {
  await p.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
  const result = await p.evaluate(() =>
    (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResult> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  );
  // A run that checked nothing would pass anything.
  expect(result.passes.length).toBeGreaterThan(0);
  return result.violations.map((v) => ({ ...v, nodes: v.nodes.map((n) => ({ target: n.target })) }));
}
