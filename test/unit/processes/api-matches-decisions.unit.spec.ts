/**
 * The QuEr record's routing answers feed the Kundensteuerung decision as they are: a value the decision does not
 * know would route nobody and fail no rule visibly, so the API accepts exactly the decision's input values, and the
 * Camunda Form offers the same.
 */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { EVENT_BODIES, INTEGRATIONSPROGNOSEN, STEUERUNGSEMPFEHLUNGEN } from '../../../src/api/applications/schema.js';

const dmn = readFileSync('processes/shared/kundensteuerung.dmn', 'utf8');

function inputValues(inputId: string): string[] {
  const m = new RegExp(`<inputValues id="InputValues_${inputId}">\\s*<text>([^<]*)</text>`).exec(dmn);
  if (!m) throw new Error(`kundensteuerung.dmn has no input values for ${inputId}`);
  return m[1]!.split(',').map((v) => v.replaceAll('&quot;', '').replaceAll('"', '').trim());
}

function formValues(file: string, key: string): string[] {
  const form = JSON.parse(readFileSync(file, 'utf8')) as { components: unknown[] };
  const all: { key?: string; values?: { value: string }[]; components?: unknown[] }[] = [];
  const walk = (cs: unknown[]) =>
    cs.forEach((c) => {
      const comp = c as { key?: string; values?: { value: string }[]; components?: unknown[] };
      all.push(comp);
      if (comp.components) walk(comp.components);
    });
  walk(form.components);
  const field = all.find((c) => c.key === key);
  if (!field?.values) throw new Error(`${file} has no select ${key}`);
  return field.values.map((v) => v.value);
}

describe('the QuEr record and the Kundensteuerung decision', () => {
  const cases: [inputId: string, key: string, api: readonly string[]][] = [
    ['Integrationsprognose', 'integrationsprognose', INTEGRATIONSPROGNOSEN],
    ['Steuerungsempfehlung', 'steuerungsempfehlung', STEUERUNGSEMPFEHLUNGEN],
  ];
  it.each(cases)('accept the same values for %s in the API, the decision and the member consultation form', (inputId, key, api) => {
    expect([...api].sort()).toEqual(inputValues(inputId).sort());
    expect([...api].sort()).toEqual(formValues('processes/forms/wuppertal-member-consultation.form', key).sort());
  });

  it('refuses an Integrationsprognose the decision does not know, naming the field', () => {
    const result = EVENT_BODIES['quer-held'].safeParse({ integrationsprognose: 'MITTEL' });
    expect(result.success).toBe(false);
    expect(result.error!.issues.some((i) => i.path.join('.') === 'integrationsprognose')).toBe(true);
  });
});
