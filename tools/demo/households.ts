/**
 * The demo's households: fictitious but realistic applicants for Cottbus and Wuppertal, each with the steps
 * staff complete through the API. Dates are relative to the day of the run, so the ages (a 17-year-old, a
 * child under 15) and the postal date stay right whenever the demo runs. The unit test parses every body with
 * the API's own schemas, so this set cannot drift from what the API accepts.
 */
import type { ApplicationBody, EventName } from '../../src/api/applications/schema.js';
import { createCalendar } from '../../src/calendar/index.js';

/** What the demo needs of `GET /api/v1/applications/:id`. */
export interface AppView {
  id: string;
  processInstanceId: string | null;
  status: string;
  bgNumber: string | null;
  members: { personId: string; role: string; kdNumber: string | null }[];
  deadlines: { kind: string; personId: string | null; dueDate: string; status: string }[];
}

/** The API role a step is done as: the local token of that role when `npm start` wrote them, else the one token given. */
export type StepRole = 'EZ' | 'IFK' | 'LG';

export interface DemoStep {
  event: EventName;
  role: StepRole;
  /** What staff did, for the progress line. */
  says: string;
  /** Undefined while the case is not ready for the step yet (e.g. no KD number before the records exist). */
  body(app: AppView): Record<string, unknown> | undefined;
  /** True when a previous run of the same demo did it already, so a re-run does not report it twice. */
  done(app: AppView): boolean;
}

export interface DemoHousehold {
  /** Stable per household; with the run id it makes the Idempotency-Key. */
  key: string;
  title: string;
  /** Who is in it, for the progress line (names stay out of everything but the store). */
  who: string;
  body: ApplicationBody;
  steps: DemoStep[];
  /** What stays open for staff in Tasklist, for the summary. */
  leftOpen: string;
}

/** A birth date `years` and `days` before today. */
function bornBefore(today: string, years: number, days = 0): string {
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

function monthsAfter(today: string, months: number): string {
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

const idCheck: DemoStep = {
  event: 'id-check-completed',
  role: 'EZ',
  says: 'front desk completed the ID check',
  body: () => ({ identityVerified: true, responsible: true }),
  // The BG number is assigned right after the ID check.
  done: (app) => app.bgNumber !== null,
};

/** The head's first consultation, held today with profiling and a Kooperationsplan: the MDS deadline is met. */
function headConsulted(today: string): DemoStep {
  const head = (app: AppView) => app.members.find((m) => m.role === 'head');
  const deadline = (app: AppView) =>
    app.deadlines.find((d) => d.kind === 'first-consultation' && d.personId === head(app)?.personId);
  return {
    event: 'first-consultation-held',
    role: 'IFK',
    says: "caseworker held the head's first consultation (profiling, Kooperationsplan)",
    body: (app) => {
      const person = head(app);
      return person && deadline(app)
        ? {
            personId: person.personId,
            heldOn: today,
            profiling: true,
            kooperationsplan: true,
            consultationMode: 'in-person',
          }
        : undefined;
    },
    done: (app) => deadline(app)?.status === 'met',
  };
}

function approvedInPrinciple(today: string): DemoStep {
  return {
    event: 'approved-in-principle',
    role: 'LG',
    says: 'benefits team approved the application in principle',
    body: () => ({ approvedOn: today, calculationProtocolRef: 'LMG-DEMO-0001' }),
    // The QuEr deadline is recorded once the approval is in.
    done: (app) => app.deadlines.some((d) => d.kind === 'quer'),
  };
}

export function demoHouseholds(today: string): DemoHousehold[] {
  const bb = createCalendar({ state: 'BB' });
  const cottbus = { jobcenter: 'cottbus', habitualResidenceInGermany: true, flags: {} } as const;
  return [
    {
      key: 'cottbus-single',
      title: 'Cottbus, front desk: single applicant after losing his job',
      who: 'Jonas Becker (36)',
      body: {
        ...cottbus,
        channel: 'EZ',
        applicationDate: today,
        reason: 'Arbeitslosigkeit nach betriebsbedingter Kündigung',
        household: {
          members: [
            {
              givenName: 'Jonas',
              familyName: 'Becker',
              birthDate: bornBefore(today, 36, 40),
              role: 'head',
              erwerbsfaehig: true,
            },
          ],
        },
      },
      steps: [idCheck],
      leftOpen: 'acknowledgement and first consultation with his caseworker; the Arbeitspaket return at the front desk',
    },
    {
      key: 'cottbus-family',
      title: 'Cottbus, front desk: single mother with a 17-year-old son and a daughter of 9',
      who: 'Sandra Schulze (41), Tim (17), Lena (9)',
      body: {
        ...cottbus,
        channel: 'EZ',
        applicationDate: today,
        reason: 'Trennung, Einkommen reicht nicht für den Lebensunterhalt',
        household: {
          members: [
            {
              givenName: 'Sandra',
              familyName: 'Schulze',
              birthDate: bornBefore(today, 41, 75),
              role: 'head',
              erwerbsfaehig: true,
            },
            {
              givenName: 'Tim',
              familyName: 'Schulze',
              birthDate: bornBefore(today, 17, 120),
              role: 'member',
              erwerbsfaehig: true,
            },
            {
              givenName: 'Lena',
              familyName: 'Schulze',
              birthDate: bornBefore(today, 9, 30),
              role: 'member',
              erwerbsfaehig: false,
            },
          ],
        },
      },
      steps: [idCheck, headConsulted(today)],
      leftOpen: "Tim's first consultation (U25 team), both acknowledgements, the Arbeitspaket return",
    },
    {
      key: 'cottbus-informal',
      title: 'Cottbus, front desk: informal application by phone 13 working days ago, recorded now',
      who: 'Marco Neumann (45)',
      body: {
        ...cottbus,
        channel: 'EZ',
        // An informal application counts from its day: the MDS deadline is only two working days away.
        applicationDate: bb.subtractWorkingDays(today, 13),
        reason: 'Formloser Antrag per Telefon nach Krankengeldende',
        household: {
          members: [
            {
              givenName: 'Marco',
              familyName: 'Neumann',
              birthDate: bornBefore(today, 45, 160),
              role: 'head',
              erwerbsfaehig: true,
            },
          ],
        },
      },
      steps: [idCheck],
      leftOpen:
        'his first consultation, due within 3 working days: listed on the dashboard with its Cockpit and Tasklist links',
    },
    {
      key: 'cottbus-aufstocker',
      title: 'Cottbus, front desk: Aufstocker whose ALG I is too low',
      who: 'Michael Wagner (52)',
      body: {
        ...cottbus,
        channel: 'EZ',
        applicationDate: today,
        reason: 'Arbeitslosengeld I reicht nicht aus (Aufstocker)',
        flags: { alg1Claim: { endsOn: monthsAfter(today, 4) } },
        household: {
          members: [
            {
              givenName: 'Michael',
              familyName: 'Wagner',
              birthDate: bornBefore(today, 52, 200),
              role: 'head',
              erwerbsfaehig: true,
            },
          ],
        },
      },
      steps: [],
      leftOpen: 'the ID check at the front desk (Tasklist, group EZ)',
    },
    {
      key: 'cottbus-post',
      title: 'Cottbus, by post: the letter arrived two working days ago',
      who: 'Petra Hoffmann (58)',
      body: {
        ...cottbus,
        channel: 'POST',
        applicationDate: bb.subtractWorkingDays(today, 2),
        reason: 'Arbeitslosigkeit, Ersparnisse aufgebraucht',
        household: {
          members: [
            {
              givenName: 'Petra',
              familyName: 'Hoffmann',
              birthDate: bornBefore(today, 58, 10),
              role: 'head',
              erwerbsfaehig: true,
            },
          ],
        },
      },
      steps: [],
      leftOpen: 'forwarding to the front desk to create the records (Tasklist, group EZ)',
    },
    {
      key: 'cottbus-online',
      title: 'Cottbus, online: application through jobcenter.digital',
      who: 'Ahmet Yılmaz (29)',
      body: {
        ...cottbus,
        channel: 'ONLINE',
        applicationDate: today,
        reason: 'Ende der Ausbildung ohne Übernahme',
        household: {
          members: [
            {
              givenName: 'Ahmet',
              familyName: 'Yılmaz',
              birthDate: bornBefore(today, 29, 300),
              role: 'head',
              erwerbsfaehig: true,
            },
          ],
        },
      },
      steps: [],
      leftOpen: 'forwarding to the front desk (Tasklist, group EZ)',
    },
    {
      key: 'wuppertal-approved',
      title: 'Wuppertal GST Barmen: couple, approved in principle, QuEr to come',
      who: 'Katharina Schmitz (38), Daniel Schmitz (40)',
      body: {
        jobcenter: 'wuppertal',
        branch: 'gst-barmen',
        channel: 'EZ',
        applicationDate: today,
        reason: 'Arbeitslosigkeit beider Partner',
        habitualResidenceInGermany: true,
        flags: {},
        household: {
          members: [
            {
              givenName: 'Katharina',
              familyName: 'Schmitz',
              birthDate: bornBefore(today, 38, 50),
              role: 'head',
              erwerbsfaehig: true,
            },
            {
              givenName: 'Daniel',
              familyName: 'Schmitz',
              birthDate: bornBefore(today, 40, 140),
              role: 'member',
              erwerbsfaehig: true,
            },
          ],
        },
      },
      steps: [approvedInPrinciple(today)],
      leftOpen: "Katharina's QuEr with the IFK within 10 working days; Daniel's first interview next month",
    },
    {
      key: 'wuppertal-new',
      title: 'Wuppertal GST Elberfeld: single applicant, waiting for the benefits decision',
      who: 'Leon Krämer (24)',
      body: {
        jobcenter: 'wuppertal',
        branch: 'gst-elberfeld',
        channel: 'EZ',
        applicationDate: today,
        reason: 'Arbeitslosigkeit nach befristetem Vertrag',
        habitualResidenceInGermany: true,
        flags: {},
        household: {
          members: [
            {
              givenName: 'Leon',
              familyName: 'Krämer',
              birthDate: bornBefore(today, 24, 90),
              role: 'head',
              erwerbsfaehig: true,
            },
          ],
        },
      },
      steps: [],
      leftOpen: 'the benefits decision (reported by the LG through the API), then the QuEr',
    },
  ];
}
