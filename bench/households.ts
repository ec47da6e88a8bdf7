/**
 * The households every Cottbus part of the benchmark applies for: the engine-free worker path and the end-to-end
 * intakes send the same ones, so their figures describe the same work.
 */
import { addDays, lightFormat, parseISO } from 'date-fns';

import { ApplicationBody } from '../src/api/applications/schema.js';

// One surname per Ü25 caseworker's range in processes/cottbus/jobcenter.json, so bookings spread over all of them.
const SURNAMES = [
  'Albrecht',
  'Bauer',
  'Becker',
  'Braun',
  'Dietrich',
  'Ebert',
  'Fischer',
  'Fuchs',
  'Gerber',
  'Günther',
  'Hartmann',
  'Herrmann',
  'Horn',
  'Jung',
  'Klein',
  'Krause',
  'Lange',
  'Lehmann',
  'Maier',
  'Müller',
  'Neumann',
  'Peters',
  'Reuter',
  'Richter',
  'Sauer',
  'Schäfer',
  'Schmidt',
  'Seidel',
  'Vogel',
  'Weber',
  'Wolf',
  'Zimmermann',
];
const HEADS = [
  'Anna',
  'Jörg',
  'Mira',
  'Stefan',
  'Katrin',
  'Uwe',
  'Sandra',
  'Thomas',
  'Yvonne',
  'Marcel',
  'Doreen',
  'René',
  'Nicole',
];
const OTHERS = ['Ben', 'Lea', 'Paul', 'Lina', 'Tim', 'Emma', 'Felix', 'Sophie', 'Jonas', 'Marie', 'Luca'];

/** Every household has this many eLb: the head and one more. */
export const ELB_PER_HOUSEHOLD = 2;

function isoDay(from: string, days: number): string {
  return lightFormat(addDays(parseISO(from), days), 'yyyy-MM-dd');
}

/**
 * Household i at the front desk (channel EZ): an Ü25 head and one more eLb, a partner (Ü25) or, in every fourth
 * household, a grown child (U25), so both age bands book. Names and birth dates vary with i, so every person is a
 * new customer; `tag` keeps the people of one run apart from those of another in the same store. `jobcenter`: one
 * running the Cottbus model with Cottbus's surname ranges (the generated ones of bench/engine/tenants-400.ts).
 */
export function household(i: number, applicationDate: string, tag = '', jobcenter = 'cottbus'): ApplicationBody {
  const familyName = `${SURNAMES[i % SURNAMES.length]!}${tag}`;
  const child = i % 4 === 3;
  return ApplicationBody.parse({
    jobcenter,
    channel: 'EZ',
    applicationDate,
    reason: 'Arbeitslosigkeit nach Ende der Beschäftigung',
    habitualResidenceInGermany: true,
    household: {
      members: [
        {
          givenName: HEADS[i % HEADS.length],
          familyName,
          birthDate: isoDay('1965-01-01', (i * 37) % 10_950),
          role: 'head',
          erwerbsfaehig: true,
        },
        {
          givenName: OTHERS[i % OTHERS.length],
          familyName,
          birthDate: child ? isoDay('2002-06-01', (i * 13) % 1_500) : isoDay('1966-01-01', (i * 41) % 10_950),
          role: 'member',
          erwerbsfaehig: true,
        },
      ],
    },
  });
}

/**
 * The ID check's form (processes/forms/cottbus-id-check.form) as the front desk submits it on the happy path:
 * identity shown, jobcenter responsible, hints given, invitation by letter. No relocation, so no evidence field.
 */
export const ID_CHECK_FORM = {
  identityVerified: true,
  responsible: true,
  registrationFormsCompleted: true,
  digitalHintsGiven: true,
  currentMattersHintGiven: true,
  invitationByPhone: false,
} as const;
