/**
 * Kapazitätsprognose for team leads (/arbeitsplatz/kapazitaet): per team, a chart of the consultations falling due
 * against the free slots per week with the shortfall marked, and the same numbers as a table (the chart's text
 * equivalent, WCAG 1.1.1), as CSV too. Only the TL group of the jobcenter sees it; it shows no personal data.
 */
import { type Request, type Response, Router } from 'express';
import type { Kysely } from 'kysely';

import type { Calendars } from '../calendar/calendars.js';
import { capacityCsv, type CapacityForecast, capacityForecast, WARNING_WORKING_DAYS } from '../reports/capacity.js';
import type { ForecastRow } from '../reports/capacity-forecast.js';
import type { Database } from '../store/index.js';
import { BASE, deDate, esc, forbiddenPage, layout, type PageUser } from './layout.js';
import { pageUser, requireStaff, sessionOf, type WorkspaceAuth } from './login.js';
import { mayJobcenter } from './session.js';

export interface CapacityPageDeps {
  db: Kysely<Database>;
  calendars: Calendars;
  auth: WorkspaceAuth;
}

const PATH = `${BASE}/kapazitaet`;

function refused(res: Response, user: PageUser) {
  res.status(403).type('html').send(forbiddenPage(user, 'Die Kapazitätsprognose sehen die Teamleitungen.'));
}

const demandOf = (r: ForecastRow) => r.overdue + r.dueOpen + r.dueExpected;

/** Two bars per period (Bedarf, freie Termine), the shortfall hatched above supply, every bar labelled with its number. */
function chart(team: string, rows: ForecastRow[]): string {
  const max = Math.max(1, ...rows.flatMap((r) => [demandOf(r), r.freeSlots]));
  const h = 160;
  const bar = 28;
  const group = 2 * bar + 36;
  const w = 60 + rows.length * group;
  const y = (n: number) => 20 + h - (n / max) * h;
  const bars = rows
    .map((r, i) => {
      const x = 50 + i * group;
      const demand = demandOf(r);
      const shortfall = r.missed
        ? `<rect x="${x}" y="${y(demand)}" width="${bar}" height="${(r.missed / max) * h}" fill="url(#short)" stroke="#a00000"/>`
        : '';
      return `<rect x="${x}" y="${y(demand)}" width="${bar}" height="${(demand / max) * h}" fill="#0b4f9c"/>${shortfall}
<text x="${x + bar / 2}" y="${y(demand) - 4}" text-anchor="middle" font-size="12">${demand}</text>
<rect x="${x + bar + 4}" y="${y(r.freeSlots)}" width="${bar}" height="${(r.freeSlots / max) * h}" fill="#6b8f23"/>
<text x="${x + bar + 4 + bar / 2}" y="${y(r.freeSlots) - 4}" text-anchor="middle" font-size="12">${r.freeSlots}</text>
<text x="${x + bar + 2}" y="${h + 38}" text-anchor="middle" font-size="12">${esc(r.label)}</text>
${r.missed ? `<text x="${x + bar + 2}" y="${h + 54}" text-anchor="middle" font-size="12" fill="#a00000" font-weight="700">fehlen ${r.missed}</text>` : ''}`;
    })
    .join('\n');
  return `<svg viewBox="0 0 ${w} ${h + 64}" width="${w}" height="${h + 64}" aria-hidden="true" focusable="false">
<defs><pattern id="short" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#a00000" stroke-width="3"/></pattern></defs>
<line x1="44" y1="${20 + h}" x2="${w}" y2="${20 + h}" stroke="#1a1a1a"/>
${bars}
<title>${esc(team)}</title></svg>`;
}

function summary(rows: ForecastRow[]): string {
  const short = rows.filter((r) => r.missed > 0);
  return short.length
    ? `Engpass: ${short.map((r) => `${r.label} fehlen ${r.missed} Termine (etwa ${r.hoursToClose} Freigabestunden)`).join('; ')}.`
    : 'Kein Engpass: Alle fälligen Erstberatungen haben vor ihrer Frist einen freien Termin.';
}

function table(caption: string, rows: ForecastRow[]): string {
  return `<table><caption>${esc(caption)}</caption><thead><tr><th scope="col">Zeitraum</th><th scope="col">Team</th><th scope="col">bereits überfällig</th><th scope="col">fällig (offene Fälle)</th><th scope="col">fällig (erwartete neue Fälle)</th><th scope="col">freie Termine</th><th scope="col">ohne Termin vor Frist</th><th scope="col">Freigabestunden nötig</th></tr></thead><tbody>
${rows
  .map(
    (r) =>
      `<tr><th scope="row">${esc(r.label)} (${deDate(r.from)} bis ${deDate(r.to)})</th><td>${esc(r.teamName)}</td><td>${r.overdue}</td><td>${r.dueOpen}</td><td>${r.dueExpected}${r.dueExpectedSpread ? ` (± ${String(r.dueExpectedSpread).replace('.', ',')})` : ''}</td><td>${r.freeSlots}</td><td${r.missed ? ' class="breached"' : ''}>${r.missed}</td><td>${r.hoursToClose}</td></tr>`,
  )
  .join('\n')}</tbody></table>`;
}

function page(f: CapacityForecast, jobcenterName: string): string {
  const teams = [...new Set(f.rows.map((r) => r.team))];
  const sections = teams
    .map((team) => {
      const rows = f.rows.filter((r) => r.team === team);
      const name = rows[0]?.teamName ?? team;
      const id = `team-${team}`;
      return `<section aria-labelledby="${esc(id)}"><h2 id="${esc(id)}">${esc(name)}</h2>
<figure><figcaption id="${esc(id)}-summary">${esc(summary(rows))}</figcaption>${chart(name, rows)}</figure></section>`;
    })
    .join('\n');
  return `<h1>Kapazitätsprognose Erstberatung</h1>
<p>${esc(jobcenterName)}, Stand ${deDate(f.asOf)}: die Erstberatungen, die in den nächsten Wochen fällig werden, gegen die freien Termine in den freigegebenen ATV-Fenstern der Vermittlerinnen und Vermittler (ohne gebuchte Termine und Abwesenheiten, mit den Feiertagen des Jobcenters).
Erwartete neue Fälle: Mittelwert je Wochentag der letzten ${f.intakeWeeks} Wochen, Frist ${f.deadlineWorkingDays} Arbeitstage. Eine Warnung geht an die Teamleitung, wenn ein Engpass in den nächsten ${WARNING_WORKING_DAYS} Arbeitstagen liegt.</p>
<p>Legende: blau Bedarf (fällige Erstberatungen), grün freie Termine, rot schraffiert der Teil des Bedarfs ohne Termin vor der Frist. Die Tabelle unten enthält alle Zahlen. <a href="${PATH}.csv">Als CSV herunterladen</a></p>
${sections}
<h2>Alle Zahlen</h2>
${table('Prognose je Team und Woche', f.rows)}
${f.period.length && f.periodLabel ? table(f.periodLabel, f.period) : ''}
${f.withoutTeam ? `<p>${f.withoutTeam} offene Erstberatungen sind keinem Team der Einstellungen zugeordnet und nicht eingerechnet.</p>` : ''}`;
}

export function capacityRouter(deps: CapacityPageDeps): Router {
  const router = Router();
  const guard = requireStaff(deps.auth);
  /** The jobcenter asked for (`?jobcenter=`) when the login may see it, else the login's first. */
  const forecastFor = async (req: Request, res: Response) => {
    const s = sessionOf(res);
    const user = pageUser(res, deps.auth);
    const asked = typeof req.query.jobcenter === 'string' ? req.query.jobcenter : undefined;
    const jobcenter =
      asked && deps.auth.jobcenters.has(asked) && mayJobcenter(s, asked)
        ? asked
        : (s.j?.[0] ?? [...deps.auth.jobcenters.keys()][0]);
    const settings = jobcenter ? deps.auth.jobcenters.get(jobcenter) : undefined;
    const calendar = jobcenter ? deps.calendars.of(jobcenter) : undefined;
    if (!s.g.includes('TL') || !settings || !calendar) {
      refused(res, user);
      return undefined;
    }
    return { user, settings, forecast: await capacityForecast(deps.db, settings, calendar, deps.auth.now()) };
  };
  router.get(PATH, ...guard, async (req, res) => {
    const found = await forecastFor(req, res);
    if (!found) return;
    res.type('html').send(
      layout({
        title: 'Kapazitätsprognose',
        user: found.user,
        current: 'capacity',
        main: page(found.forecast, found.settings.name),
      }),
    );
  });
  router.get(`${PATH}.csv`, ...guard, async (req, res) => {
    const found = await forecastFor(req, res);
    if (!found) return;
    res
      .type('text/csv; charset=utf-8')
      .attachment(`kapazitaet-${found.settings.id}-${found.forecast.asOf}.csv`)
      .send(capacityCsv(found.forecast));
  });
  return router;
}
