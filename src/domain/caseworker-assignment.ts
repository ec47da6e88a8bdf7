/**
 * Picks the main caseworker (Hauptbetreuer) of a person: the team for the age band (U25 / Ü25), then the
 * caseworker whose surname range covers the family name. Only the family name is used, and only here.
 */
import type { Caseworker, JobcenterSettings } from '../config/jobcenter.js';

/** Compare on letters only, with umlauts folded the way German filing does (Ä -> A). */
function key(surname: string): string {
  return surname
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
}

function covers(c: Caseworker, surname: string): boolean {
  const k = key(surname);
  const from = key(c.surnameFrom ?? 'A');
  const to = key(c.surnameTo ?? 'Z');
  return k.slice(0, from.length) >= from && k.slice(0, to.length) <= to;
}

export function mainCaseworker(
  settings: JobcenterSettings,
  familyName: string,
  isU25: boolean,
): Caseworker | undefined {
  const band = isU25 ? 'U25' : 'Ü25';
  const teams = new Set(settings.teams.filter((t) => t.ageBand === band || t.ageBand === 'ALL').map((t) => t.id));
  const candidates = settings.caseworkers.filter((c) => !c.virtual && (teams.size === 0 || teams.has(c.team)));
  return candidates.find((c) => covers(c, familyName)) ?? candidates[0];
}
