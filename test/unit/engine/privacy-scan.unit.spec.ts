import { describe, expect, it } from '@jest/globals';
import { scanVariables, type VariableSource } from '../../../src/engine/privacy-scan.js';
import type { VariableItem } from '../../../src/engine/rest-client.js';

/** The engine's variable search, paged as the REST API pages it (cursor after each full page). */
function pagedSource(items: VariableItem[], pageSize = 2): VariableSource & { calls: number } {
  const source = {
    calls: 0,
    async searchVariables(_filter: Record<string, unknown>, _limit?: number, after?: string) {
      source.calls++;
      const start = after ? Number(after) : 0;
      const slice = items.slice(start, start + pageSize);
      const end = start + slice.length;
      return { items: slice, page: { totalItems: items.length, ...(slice.length ? { endCursor: String(end) } : {}) } };
    },
  };
  return source;
}

const v = (name: string, value: unknown, key = '1'): VariableItem => ({ name, value: JSON.stringify(value), processInstanceKey: key, scopeKey: key });

describe('privacy scan of process variables', () => {
  it('finds nothing in ids, dates and flags, and reads every page', async () => {
    const source = pagedSource([v('applicationId', 'a1b2'), v('applicationDate', '2026-11-23'), v('flags', { aufstocker: true }), v('mdsDueDate', '2026-12-14'), v('personIds', ['p1', 'p2'])]);
    const { scanned, findings } = await scanVariables(source, ['Mustermann', '1985-07-14']);
    expect({ scanned, findings }).toEqual({ scanned: 5, findings: [] });
    expect(source.calls).toBe(4);
  });

  it('reports a variable named like a personal datum, whatever its value', async () => {
    const { findings } = await scanVariables(pagedSource([v('headFamilyName', 'x', '7'), v('birthDate', null, '8'), v('nationality', 'DE', '9')]));
    expect(findings.map((f) => [f.processInstanceKey, f.variable])).toEqual([
      ['7', 'headFamilyName'],
      ['8', 'birthDate'],
      ['9', 'nationality'],
    ]);
  });

  it('reports a value that contains a name or birth date from the store, also deep in an object', async () => {
    const { findings } = await scanVariables(pagedSource([v('note', { text: 'Termin mit Frau Mustermann' }, '3'), v('x', ['1985-07-14'], '4')]), ['Mustermann', '1985-07-14', 'Li']);
    expect(findings).toEqual([
      { processInstanceKey: '3', variable: 'note', why: 'its value contains "Mustermann"' },
      { processInstanceKey: '4', variable: 'x', why: 'its value contains "1985-07-14"' },
    ]);
  });

  it('ignores texts too short to mean anything', async () => {
    const { findings } = await scanVariables(pagedSource([v('channel', 'EZ')]), ['EZ', 'E']);
    expect(findings).toEqual([]);
  });
});
