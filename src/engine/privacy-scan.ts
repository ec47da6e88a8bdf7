/**
 * Reads every process variable the engine keeps, at run time and in its history, every incident message and
 * every business key, and reports what looks personal: a variable whose name says it holds a name, birth date,
 * address, nationality or health, or a text that contains one of the given texts (the names, birth dates and
 * streets and c/o lines of the addresses the store holds). Cockpit shows exactly these, so an empty report means Cockpit shows no person. Used after
 * the integration suite and by operators (`npm run privacy-scan`).
 */
import type { HistoricProcessInstanceItem, IncidentItem, VariableInstanceItem } from './rest-client.js';

type Query = Record<string, string>;

export interface EngineRecords {
  variableInstances(query: Query): Promise<VariableInstanceItem[]>;
  historicVariableInstances(query: Query): Promise<VariableInstanceItem[]>;
  historicIncidents(query: Query): Promise<IncidentItem[]>;
  historicProcessInstances(query: Query): Promise<HistoricProcessInstanceItem[]>;
}

export interface PrivacyFinding {
  processInstanceId: string;
  /** Where it was found: a variable's name, `incident` or `businessKey`. */
  variable: string;
  why: string;
}

/** Names a process variable must never have; matched case-insensitively as whole words of a camelCase name. */
const PERSONAL_NAMES = [
  'givenName',
  'familyName',
  'firstName',
  'lastName',
  'surname',
  'vorname',
  'nachname',
  'birthDate',
  'dateOfBirth',
  'geburtsdatum',
  'address',
  'street',
  'anschrift',
  'postcode',
  'postleitzahl',
  'careOf',
  'nationality',
  'staatsangehoerigkeit',
  'health',
  'gesundheit',
  'beratungsvermerk',
];

function personalName(variable: string): string | undefined {
  const lower = variable.toLowerCase();
  return PERSONAL_NAMES.find(
    (p) => lower === p.toLowerCase() || lower.endsWith(p.toLowerCase()) || lower.includes(`${p.toLowerCase()}s`),
  );
}

export const PAGE_SIZE = 500;

async function* pages<T>(read: (q: Query) => Promise<T[]>): AsyncGenerator<T> {
  for (let first = 0; ; first += PAGE_SIZE) {
    const page = await read({ firstResult: String(first), maxResults: String(PAGE_SIZE) });
    yield* page;
    if (page.length < PAGE_SIZE) return;
  }
}

const text = (value: unknown): string =>
  typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value);

export async function scanEngine(
  source: EngineRecords,
  forbiddenTexts: readonly string[] = [],
): Promise<{ scanned: number; findings: PrivacyFinding[] }> {
  // Short texts ("Li", "1") would match everywhere; a name needs three characters to say anything.
  const texts = [...new Set(forbiddenTexts.map((t) => t.trim()).filter((t) => t.length >= 3))];
  const findings: PrivacyFinding[] = [];
  const seen = new Set<string>();
  let scanned = 0;
  const look = (processInstanceId: string | null, where: string, value: unknown, byName: boolean) => {
    scanned++;
    const pid = processInstanceId ?? '(none)';
    const hit = texts.find((t) => text(value).includes(t));
    const found = [byName ? personalName(where) : undefined].filter(Boolean).map((n) => `its name says it holds ${n}`);
    if (hit) found.push(`its value contains "${hit}"`);
    for (const why of found) {
      const key = `${pid}\0${where}\0${why}`;
      if (!seen.has(key)) {
        seen.add(key);
        findings.push({ processInstanceId: pid, variable: where, why });
      }
    }
  };
  for await (const v of pages((q) => source.variableInstances(q))) look(v.processInstanceId, v.name, v.value, true);
  for await (const v of pages((q) => source.historicVariableInstances(q)))
    look(v.processInstanceId, v.name, v.value, true);
  for await (const i of pages((q) => source.historicIncidents(q)))
    look(i.processInstanceId, 'incident', i.incidentMessage, false);
  for await (const p of pages((q) => source.historicProcessInstances(q)))
    look(p.id, 'businessKey', p.businessKey, false);
  return { scanned, findings };
}
