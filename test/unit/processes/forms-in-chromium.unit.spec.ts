/**
 * Every Camunda Form renders in form-js, the renderer Tasklist uses, in a real headless Chromium: the import
 * gives no error and no warning, every field shows its label, and submitting the empty form reports exactly the
 * required fields, as a clerk in Tasklist would see. The Camunda form JSON schema itself is not published on
 * npm, so form-js's own importer is the judge (it refuses unknown types, bad keys and newer schema versions).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Browser, chromium, type Page } from 'playwright-core';

import { formViewerAssets } from '../../../src/workspace/form-assets.js';
import { CHROMIUM_ARGS, ensureChromium } from '../../../tools/browser/chromium.js';

jest.setTimeout(900_000);

const dir = 'processes/forms';
const files = readdirSync(dir).filter((f) => f.endsWith('.form')).sort();

interface Rendered {
  error?: string;
  warnings: string[];
  text: string;
  inputs: number;
  requiredErrors: string[];
}

type Component = { id: string; type: string; key?: string; defaultValue?: unknown; label?: string; validate?: { required?: boolean }; conditional?: unknown; components?: Component[] };
const all = (cs: Component[]): Component[] => cs.flatMap((c) => [c, ...all(c.components ?? [])]);

let browser: Browser;
let page: Page;
let viewerSchemaVersion: number;

async function render(schema: unknown): Promise<Rendered> {
  return page.evaluate(async (s) => {
    const w = window as unknown as { FormJs: { Form: new (o: { container: HTMLElement }) => any } };
    document.body.innerHTML = '<div id="c"></div>';
    const container = document.getElementById('c')!;
    const form = new w.FormJs.Form({ container });
    try {
      const { warnings } = await form.importSchema(s, {});
      const { errors } = form.submit();
      const out = { warnings: warnings.map((x: unknown) => String((x as Error)?.message ?? x)), text: container.innerText, inputs: container.querySelectorAll('input, textarea, select').length, requiredErrors: Object.keys(errors).sort() };
      form.destroy();
      return out;
    } catch (e) {
      return { error: String((e as Error).message ?? e), warnings: [], text: '', inputs: 0, requiredErrors: [] };
    }
  }, schema);
}

beforeAll(async () => {
  const executablePath = ensureChromium();
  const assets = await formViewerAssets();
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  page = await browser.newPage();
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
  await page.addStyleTag({ content: assets.css });
  await page.addScriptTag({ content: assets.script });
  viewerSchemaVersion = await page.evaluate(() => (window as unknown as { FormJs: { schemaVersion: number } }).FormJs.schemaVersion);
});

afterAll(async () => {
  await browser?.close();
});

describe.each(files)('%s', (file) => {
  const schema = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { schemaVersion: number; components: Component[] };

  it('uses a schema version form-js renders', () => {
    expect(schema.schemaVersion).toBeLessThanOrEqual(viewerSchemaVersion);
  });

  it('renders without error or warning, showing every unconditional field label', async () => {
    const r = await render(schema);
    expect({ error: r.error, warnings: r.warnings }).toEqual({ error: undefined, warnings: [] });
    const labels = all(schema.components).filter((c) => c.key && c.label && !c.conditional).map((c) => c.label!);
    expect(labels.filter((l) => !r.text.includes(l))).toEqual([]);
    expect(r.inputs).toBeGreaterThan(0);
  });

  it('refuses an empty submission naming every required, unconditional field', async () => {
    const r = await render(schema);
    // Fields hidden by a condition are not validated by form-js, and a default value already answers the field.
    const required = all(schema.components).filter((c) => c.key && c.validate?.required && !c.conditional && c.defaultValue === undefined).map((c) => c.id).sort();
    expect(required.length).toBeGreaterThan(0);
    expect(r.requiredErrors.filter((k) => required.includes(k))).toEqual(required);
  });
});

describe('the renderer as judge', () => {
  it('rejects a form with an unknown field type', async () => {
    const r = await render({ type: 'default', schemaVersion: 18, components: [{ id: 'f1', type: 'no-such-field', key: 'x', label: 'X' }] });
    expect(r.error).toMatch(/no-such-field/);
  });

  it('rejects two fields bound to the same key', async () => {
    const r = await render({ type: 'default', schemaVersion: 18, components: [{ id: 'a', type: 'textfield', key: 'same', label: 'A' }, { id: 'b', type: 'textfield', key: 'same', label: 'B' }] });
    expect(r.error).toMatch(/same/);
  });
});
