/** Who holds a Wuppertal case: the branch, its virtual worker, the day's F-IFK. The moves themselves are FMG.job's (src/adapters/fmg/). */
import type { Branch, JobcenterSettings } from '../config/jobcenter.js';
import { IncidentError } from './process-errors.js';

export function branchOf(settings: JobcenterSettings, branchId: string): Branch {
  const branch = settings.branches.find((b) => b.id === branchId);
  if (!branch) throw new IncidentError(`No branch "${branchId}" in the settings of ${settings.id}`);
  return branch;
}

/** The F-IFK on duty on a date (ISO weekday from the rota); at weekends the Monday's. */
export function fIfkOn(branch: Branch, date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  const weekday = day === 0 || day === 6 ? 1 : day;
  const entry = branch.fIfkRota.find((r) => r.weekday === weekday) ?? branch.fIfkRota[0]!;
  return entry.caseworkerId;
}
