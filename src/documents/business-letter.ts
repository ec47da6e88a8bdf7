/**
 * The frame of a business letter from the store and the jobcenter's settings: who it goes to (the window lines,
 * from the household's address), how they are greeted, and the letterhead, references and footer around the text.
 */
import type { Kysely } from 'kysely';

import type { Caseworker, JobcenterSettings } from '../config/jobcenter.js';
import type { Database } from '../store/index.js';
import type { LetterFrame } from './letters.js';

export interface Recipient {
  givenName: string;
  familyName: string;
  /** Only the head says how to be addressed; everyone else is greeted by name. */
  salutation: 'Frau' | 'Herr' | null;
  /** The window's lines (the mailing address when there is one), null when the store has no address. */
  address: string[] | null;
  kdNumber: string | null;
}

/**
 * The letter's recipient (the person, or the head of the household), the household's BG number and the case's
 * Vorgangsnummer: the references a letter carries so that a reply finds its case without the application's id.
 */
export async function recipientOf(
  db: Kysely<Database>,
  applicationId: string,
  personId?: string,
): Promise<{ recipient: Recipient; bgNumber: string | null; caseNumber: string }> {
  const [persons, address, household, application] = await Promise.all([
    db
      .selectFrom('persons')
      .select(['id', 'role', 'given_name', 'family_name', 'kd_number'])
      .where('application_id', '=', applicationId)
      .execute(),
    db.selectFrom('application_addresses').selectAll().where('application_id', '=', applicationId).executeTakeFirst(),
    db
      .selectFrom('application_households')
      .select('bg_number')
      .where('application_id', '=', applicationId)
      .executeTakeFirst(),
    db.selectFrom('applications').select('case_number').where('id', '=', applicationId).executeTakeFirstOrThrow(),
  ]);
  const person = persons.find((p) => (personId ? p.id === personId : p.role === 'head'));
  if (!person) throw new Error(`Application ${applicationId} has no ${personId ? `person ${personId}` : 'head'}`);
  const salutation = person.role === 'head' ? (address?.salutation ?? null) : null;
  const name = `${salutation ? `${salutation} ` : ''}${person.given_name} ${person.family_name}`;
  let lines: string[] | null = null;
  if (address) {
    const mailing = address.mailing_street !== null;
    const careOf = mailing ? address.mailing_care_of : address.care_of;
    lines = [
      name,
      ...(careOf ? [careOf] : []),
      (mailing ? address.mailing_street : address.street) ?? '',
      `${mailing ? address.mailing_postcode : address.postcode} ${mailing ? address.mailing_city : address.city}`,
    ];
  }
  return {
    recipient: {
      givenName: person.given_name,
      familyName: person.family_name,
      salutation,
      address: lines,
      kdNumber: person.kd_number,
    },
    bgNumber: household?.bg_number ?? null,
    caseNumber: application.case_number,
  };
}

/** The line atop an enclosure (checklist, leaflet): the references of the letter it belongs to. */
export function enclosureReference(p: { bgNumber: string | null; caseNumber: string }): string {
  return `Anlage zu Vorgangsnummer ${p.caseNumber}${p.bgNumber ? ` · BG-Nummer ${p.bgNumber}` : ''}`;
}

/** "Sehr geehrte Frau Mustermann," when the salutation is known, otherwise "Guten Tag Erika Mustermann,". */
export function salutationOf(r: Pick<Recipient, 'givenName' | 'familyName' | 'salutation'>): string {
  if (r.salutation === 'Frau') return `Sehr geehrte Frau ${r.familyName},`;
  if (r.salutation === 'Herr') return `Sehr geehrter Herr ${r.familyName},`;
  return `Guten Tag ${r.givenName} ${r.familyName},`;
}

/** The closing line under "Mit freundlichen Grüßen". */
export function signatureOf(settings: JobcenterSettings): string {
  return settings.letters?.signature ?? `Ihr ${settings.name}`;
}

export function letterFrame(
  settings: JobcenterSettings,
  p: {
    recipient: Recipient;
    bgNumber: string | null;
    /** The Vorgangsnummer (applications.case_number, e.g. CO-2026-00042). */
    caseNumber: string;
    /** The letter's date, an ISO date in Berlin. */
    date: string;
    caseworker?: Pick<Caseworker, 'name' | 'room' | 'phone'>;
  },
): LetterFrame {
  const lh = settings.letters;
  const place = lh ? `${lh.postcode} ${lh.city}` : '';
  const references: [string, string][] = [];
  if (p.bgNumber) references.push(['BG-Nummer', p.bgNumber]);
  if (p.recipient.kdNumber) references.push(['Kundennummer', p.recipient.kdNumber]);
  references.push(['Vorgangsnummer', p.caseNumber]);
  if (p.caseworker) {
    references.push(['Ansprechpartner', p.caseworker.name]);
    if (p.caseworker.room) references.push(['Zimmer', p.caseworker.room]);
  }
  const phone = p.caseworker?.phone ?? lh?.phone;
  if (phone) references.push(['Telefon', phone]);
  return {
    letterhead: lh ? [lh.name, ...(lh.unit ? [lh.unit] : []), lh.street, place] : [settings.name],
    returnLine: lh ? (lh.returnLine ?? `${lh.name} · ${lh.street} · ${place}`) : settings.name,
    addressee: p.recipient.address,
    references,
    date: p.date,
    author: lh?.name ?? settings.name,
    footer: lh
      ? [
          `${lh.name}, ${lh.street}, ${place} · Telefon ${lh.phone}`,
          [lh.email, lh.web].filter(Boolean).join(' · '),
          `Öffnungszeiten: ${lh.openingHours.join('; ')}`,
        ]
      : [settings.name],
  };
}
