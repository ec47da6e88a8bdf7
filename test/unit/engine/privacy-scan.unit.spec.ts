import { describe, expect, it } from '@jest/globals';

import { type EngineRecords, PAGE_SIZE, scanEngine } from '../../../src/engine/privacy-scan.js';
import type { VariableInstanceItem } from '../../../src/engine/rest-client.js';

/** The engine's lists, paged as the REST API pages them (firstResult, maxResults). */
function engineWith(
  runtime: VariableInstanceItem[],
  history: VariableInstanceItem[] = [],
  incidents: string[] = [],
  businessKeys: string[] = [],
): EngineRecords & { calls: number } {
  const page =
    <T>(items: T[]) =>
    async (q: Record<string, string>) => {
      source.calls++;
      const first = Number(q.firstResult);
      return items.slice(first, first + Number(q.maxResults));
    };
  const source = {
    calls: 0,
    variableInstances: page(runtime),
    historicVariableInstances: page(history),
    historicIncidents: page(
      incidents.map((m, i) => ({
        id: String(i),
        processInstanceId: `i${i}`,
        activityId: 'Task_X',
        incidentType: 'failedExternalTask',
        incidentMessage: m,
      })),
    ),
    historicProcessInstances: page(
      businessKeys.map((b, i) => ({
        id: `p${i}`,
        businessKey: b,
        processDefinitionKey: 'x',
        state: 'ACTIVE' as const,
        endTime: null,
      })),
    ),
  };
  return source;
}

const v = (name: string, value: unknown, pid = '1'): VariableInstanceItem => ({
  id: `${pid}-${name}`,
  name,
  type: 'String',
  value: typeof value === 'string' || value === null ? value : JSON.stringify(value),
  processInstanceId: pid,
});

describe('privacy scan of the engine', () => {
  it('finds nothing in ids, dates and flags, and reads every page of runtime and history', async () => {
    const many = Array.from({ length: PAGE_SIZE + 3 }, (_, i) => v(`mdsDueDate${i}`, '2026-12-14', String(i)));
    const source = engineWith(
      [
        v('applicationId', 'a1b2'),
        v('flags', { aufstocker: true }),
        v('personIds', 'p1,p2'),
        // The Vorgangsnummer Tasklist shows is a reference, not a personal datum.
        v('caseNumber', 'CO-2026-00042'),
      ],
      many,
      ['no slot'],
      ['a1b2'],
    );
    const { scanned, findings } = await scanEngine(source, ['Mustermann', '1985-07-14']);
    expect({ scanned, findings }).toEqual({ scanned: 4 + PAGE_SIZE + 3 + 1 + 1, findings: [] });
    // runtime 1 page, history 2 pages, incidents 1, business keys 1
    expect(source.calls).toBe(5);
  });

  it('reports a variable named like a personal datum, whatever its value', async () => {
    const { findings } = await scanEngine(
      engineWith([v('headFamilyName', 'x', '7'), v('birthDate', null, '8')], [v('nationality', 'DE', '9')]),
    );
    expect(findings.map((f) => [f.processInstanceId, f.variable])).toEqual([
      ['7', 'headFamilyName'],
      ['8', 'birthDate'],
      ['9', 'nationality'],
    ]);
  });

  it('reports a name or birth date from the store in a value, an incident message or a business key', async () => {
    const { findings } = await scanEngine(
      engineWith(
        [v('note', { text: 'Termin mit Frau Mustermann' }, '3')],
        [v('x', '1985-07-14', '4')],
        ['Mustermann not found'],
        ['Erika Mustermann'],
      ),
      ['Mustermann', '1985-07-14', 'Li'],
    );
    expect(findings).toEqual([
      { processInstanceId: '3', variable: 'note', why: 'its value contains "Mustermann"' },
      { processInstanceId: '4', variable: 'x', why: 'its value contains "1985-07-14"' },
      { processInstanceId: 'i0', variable: 'incident', why: 'its value contains "Mustermann"' },
      { processInstanceId: 'p0', variable: 'businessKey', why: 'its value contains "Mustermann"' },
    ]);
  });

  it('reports a finding seen in runtime and history once', async () => {
    const { findings } = await scanEngine(engineWith([v('note', 'Mustermann', '3')], [v('note', 'Mustermann', '3')]), [
      'Mustermann',
    ]);
    expect(findings).toHaveLength(1);
  });

  it('ignores texts too short to mean anything', async () => {
    const { findings } = await scanEngine(engineWith([v('channel', 'EZ')]), ['EZ', 'E']);
    expect(findings).toEqual([]);
  });
});
