/**
 * The three letters a household receives, rendered by their workers from the Cottbus templates and read back from
 * the PDF's text: addressee in the window, date, references, and the concrete return date or appointment. The
 * PDFs are also written to test/artifacts/letters/ (git-ignored) for a look.
 */
import { mkdirSync, writeFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PDFDocument } from 'pdf-lib';

import type { AppDeps } from '../../../src/app/deps.js';
import assignBg from '../../../workers/allegro.assign-bg-number.js';
import applicationPack from '../../../workers/documents.issue-application-pack.js';
import forwarding from '../../../workers/documents.issue-forwarding-note.js';
import invitation from '../../../workers/documents.issue-invitation.js';
import derive from '../../../workers/persons.derive-eligibility-facts.js';
import scSend from '../../../workers/sc.send-application-forms.js';
import upsert from '../../../workers/verbis.upsert-customers.js';
import { pdfPages, pdfText } from '../../support/pdf-text.js';
import { completed, run, seedApplication, testDeps } from '../workers/harness.js';

const ARTIFACTS = 'test/artifacts/letters';

let deps: AppDeps;
beforeAll(async () => {
  deps = await testDeps(new Date('2026-11-23T09:00:00+01:00'));
  mkdirSync(ARTIFACTS, { recursive: true });
}, 30_000);
afterAll(async () => {
  await deps.store.close();
});

/** The Schmidt household (Anna, head; Ben, 18; Clara, 10) with customer and BG numbers, and an address or none. */
async function household(address?: { salutation?: 'Frau' | 'Herr'; mailing?: boolean }) {
  const seeded = await seedApplication(deps);
  const facts = completed(await run(derive, deps, { applicationId: seeded.applicationId }));
  const customers = completed(await run(upsert, deps, { applicationId: seeded.applicationId, ...facts }));
  const head = seeded.personIds[0]!;
  const bg = completed(await run(assignBg, deps, { applicationId: seeded.applicationId, headPersonId: head }));
  if (address)
    await deps.store.db
      .insertInto('application_addresses')
      .values({
        application_id: seeded.applicationId,
        jobcenter: 'cottbus',
        salutation: address.salutation ?? null,
        care_of: 'c/o Familie Kowalski',
        street: 'Lindenstraße 12',
        postcode: '03046',
        city: 'Cottbus',
        mailing_care_of: null,
        mailing_street: address.mailing ? 'Postfach 10 11 12' : null,
        mailing_postcode: address.mailing ? '03011' : null,
        mailing_city: address.mailing ? 'Cottbus' : null,
      })
      .execute();
  const kd = await deps.store.db
    .selectFrom('persons')
    .select(['id', 'kd_number'])
    .where('application_id', '=', seeded.applicationId)
    .execute();
  const { case_number } = await deps.store.db
    .selectFrom('applications')
    .select('case_number')
    .where('id', '=', seeded.applicationId)
    .executeTakeFirstOrThrow();
  return {
    ...seeded,
    caseNumber: case_number,
    eligible: (facts.eligiblePersonIds as string).split(','),
    caseworkers: customers.caseworkers as Record<string, string>,
    bgNumber: bg.bgNumber as string,
    kdOf: (personId: string) => kd.find((p) => p.id === personId)!.kd_number!,
  };
}

async function documentsOf(applicationId: string) {
  return deps.store.db
    .selectFrom('documents')
    .select(['kind', 'title', 'person_id', 'content', 'post_status'])
    .where('application_id', '=', applicationId)
    .orderBy('created_at')
    .execute();
}

describe('the cover letter and the Arbeitspaket', () => {
  it('go to the household address with date, references and the concrete return date', async () => {
    // Arrange
    const h = await household({ salutation: 'Frau' });
    // Act
    completed(
      await run(
        applicationPack,
        deps,
        { applicationId: h.applicationId, eligiblePersonIds: h.eligible.join(','), documentsReturnDate: '2026-12-07' },
        { properties: { template: 'anschreiben-antragsunterlagen' } },
      ),
    );
    // Assert
    const docs = await documentsOf(h.applicationId);
    const cover = docs.find((d) => d.kind === 'anschreiben-antragsunterlagen')!;
    const text = await pdfText(cover.content);
    writeFileSync(`${ARTIFACTS}/anschreiben-antragsunterlagen.pdf`, cover.content);
    expect(text).toContain('Jobcenter Cottbus · Musterstraße 1 · 03046 Cottbus');
    expect(text).toContain('Frau Anna Schmidt\nc/o Familie Kowalski\nLindenstraße 12\n03046 Cottbus');
    expect(text).toContain('Datum\n23.11.2026');
    expect(text).toContain(`BG-Nummer\n${h.bgNumber}`);
    expect(text).toContain(`Kundennummer\n${h.kdOf(h.personIds[0]!)}`);
    expect(text).toContain(`Vorgangsnummer\n${h.caseNumber}`);
    expect(h.caseNumber).toMatch(/^CO-\d{4}-\d{5}$/);
    // The application's id is for machines; the letter names the case by the number staff search by.
    expect(text).not.toContain(h.applicationId);
    expect(text).toContain('jobcenter-cottbus@jobcenter-cottbus.example · www.jobcenter-cottbus.example');
    expect(text).toContain('Ihr Antrag auf Leistungen nach dem SGB II vom 23.11.2026');
    expect(text).toContain('Sehr geehrte Frau Schmidt,');
    expect(text).toContain('Wir erwarten den Eingang Ihrer Antragsunterlagen bis zum 07.12.2026.');
    expect(text).toContain('– Hauptantrag SGB II');
    expect(text).toMatch(/Öffnungszeiten: Mo, Di, Fr 08:00–12:00 Uhr/);
    expect(text).toMatch(/Seite 1 von 1/);
    expect(text).not.toContain('Sehr geehrte Damen und Herren');
    const pdf = await PDFDocument.load(cover.content, { updateMetadata: false });
    expect(pdf.getTitle()).toBe('Ihr Antrag auf Leistungen nach dem SGB II vom 23.11.2026');

    const paket = docs.find((d) => d.kind === 'arbeitspaket' && d.person_id === h.eligible[1])!;
    const paketText = await pdfText(paket.content);
    writeFileSync(`${ARTIFACTS}/arbeitspaket.pdf`, paket.content);
    // Ben is not the head: no salutation is known for him, so he is greeted by name.
    expect(paketText).toContain('Ben Schmidt\nc/o Familie Kowalski\nLindenstraße 12\n03046 Cottbus');
    expect(paketText).toContain('Guten Tag Ben Schmidt,');
    expect(paketText).toContain(`Kundennummer\n${h.kdOf(h.eligible[1]!)}`);
    expect(paketText).toContain('Rückgabe bis zum');
    expect(paketText).toContain(`Vorgangsnummer\n${h.caseNumber}`);
    expect(paketText).toContain(`BG-Nummer\n${h.bgNumber}`);

    // The enclosures name the case they belong to; the pack is handed over, so nothing is marked for the post.
    const checklist = docs.find((d) => d.kind === 'checkliste')!;
    expect(await pdfText(checklist.content)).toContain(
      `Anlage zu Vorgangsnummer ${h.caseNumber} · BG-Nummer ${h.bgNumber}`,
    );
    expect(docs.map((d) => d.post_status)).toEqual(docs.map(() => null));
  });

  it('go to the mailing address when there is one, and are marked "Anschrift fehlt" without an address', async () => {
    const withMailing = await household({ mailing: true });
    completed(await run(applicationPack, deps, { applicationId: withMailing.applicationId }));
    const [cover] = await documentsOf(withMailing.applicationId);
    const text = await pdfText(cover!.content);
    expect(text).toContain('Anna Schmidt\nPostfach 10 11 12\n03011 Cottbus');
    expect(text).toContain('Guten Tag Anna Schmidt,');

    const without = await household();
    completed(await run(applicationPack, deps, { applicationId: without.applicationId }));
    const [unaddressed] = await documentsOf(without.applicationId);
    expect(unaddressed!.title).toMatch(/– Anschrift fehlt$/);
    expect(await pdfText(unaddressed!.content)).toContain('Anschrift fehlt');
  });
});

describe('the invitation', () => {
  it('names the date, time, room and caseworker, and carries the Rechtsfolgenbelehrung with its legal basis', async () => {
    const h = await household({ salutation: 'Frau' });
    const head = h.personIds[0]!;
    const appointment = {
      id: '22222222-2222-4222-8222-222222222222',
      startsAt: '2026-12-07T08:20:00.000Z',
      caseworkerId: 'av-u25-01',
    };
    completed(
      await run(
        invitation,
        deps,
        { applicationId: h.applicationId, personId: head, appointment },
        { properties: { template: 'einladung-rfb' } },
      ),
    );
    const [letter] = await documentsOf(h.applicationId);
    writeFileSync(`${ARTIFACTS}/einladung-rfb.pdf`, letter!.content);
    const pages = await pdfPages(letter!.content);
    const text = pages.join('\n');
    expect(text).toContain('Frau Anna Schmidt\nc/o Familie Kowalski\nLindenstraße 12\n03046 Cottbus');
    expect(text).toContain('Einladung zum Erstgespräch am Montag, 07.12.2026, um 09:20 Uhr');
    expect(text).toContain('Termin: Montag, 07.12.2026, 09:20 Uhr');
    expect(text).toContain('Ort: Jobcenter Cottbus, Musterstraße 1, 03046 Cottbus, Haus 1, Zimmer 101');
    expect(text).toContain('Bei: Elke Neumann');
    expect(text).toContain('Ansprechpartner\nElke Neumann');
    expect(text).toContain(`Vorgangsnummer\n${h.caseNumber}`);
    expect(text).toContain(`BG-Nummer\n${h.bgNumber}`);
    expect(text).toContain(`Kundennummer\n${h.kdOf(head)}`);
    expect(text).toContain('Datum\n23.11.2026');
    expect(letter!.post_status).toBe('to-print');
    expect(text).toContain('Rechtsfolgenbelehrung');
    const prose = text.replace(/\s+/g, ' ');
    expect(prose).toContain(
      'mindert sich Ihr Bürgergeld um 10 Prozent des für Sie maßgebenden Regelbedarfs (§ 32 Abs. 1 SGB II)',
    );
    expect(prose).toContain('Die Minderung dauert einen Monat');
    expect(prose).toContain('wenn Sie einen wichtigen Grund für Ihr Fernbleiben darlegen und nachweisen');
    expect(prose).toMatch(
      /nicht wahrnehmen können, sagen Sie uns bitte sofort Bescheid, möglichst vor dem Termin: telefonisch unter 0355 000000-101/,
    );
    expect(text).toContain('0355 000000-101');
    expect(text).toContain(`Seite 1 von ${pages.length}`);
  });

  it('says a phone appointment is by phone and names no room', async () => {
    const h = await household();
    const appointment = {
      id: '33333333-3333-4333-8333-333333333333',
      startsAt: '2026-12-08T08:00:00.000Z',
      caseworkerId: 'av-u25-01',
      mode: 'phone',
    };
    completed(await run(invitation, deps, { applicationId: h.applicationId, personId: h.personIds[0]!, appointment }));
    const [letter] = await documentsOf(h.applicationId);
    const text = await pdfText(letter!.content);
    expect(text).toMatch(/telefonisch\. Elke Neumann ruft Sie zu dieser Zeit an/);
    expect(text).not.toContain('Ort:');
  });
});

describe("the service centre's dispatch of the forms", () => {
  it('is a letter to the head at the household address, with the forms and the ID check', async () => {
    const h = await household({ salutation: 'Frau' });
    completed(await run(scSend, deps, { applicationId: h.applicationId }));
    const [letter] = await documentsOf(h.applicationId);
    const text = await pdfText(letter!.content);
    expect(text).toContain('Frau Anna Schmidt\nc/o Familie Kowalski\nLindenstraße 12\n03046 Cottbus');
    expect(text).toContain('Sehr geehrte Frau Schmidt,');
    expect(text).toContain('– Hauptantrag SGB II');
    expect(text.replace(/\s+/g, ' ')).toContain('Zur Prüfung Ihrer Identität ist eine persönliche Vorsprache');
    expect(text).toContain(`Vorgangsnummer\n${h.caseNumber}`);
    expect(letter!.post_status).toBe('to-print');
  });

  it('is filed but kept off the print list when the household has no address', async () => {
    const h = await household();
    completed(await run(scSend, deps, { applicationId: h.applicationId }));
    const [letter] = await documentsOf(h.applicationId);
    expect(letter!.title).toMatch(/– Anschrift fehlt$/);
    expect(letter!.post_status).toBeNull();
  });
});

describe('the forwarding note', () => {
  it('tells the head by post that the application went on to the responsible jobcenter', async () => {
    const h = await household({ salutation: 'Frau' });
    completed(await run(forwarding, deps, { applicationId: h.applicationId, jurisdictionEvidence: 'registration' }));
    const [letter] = await documentsOf(h.applicationId);
    const text = await pdfText(letter!.content);
    expect(text).toContain('Frau Anna Schmidt\nc/o Familie Kowalski\nLindenstraße 12\n03046 Cottbus');
    expect(text).toContain('Sehr geehrte Frau Schmidt,');
    expect(text).toContain(`Vorgangsnummer\n${h.caseNumber}`);
    expect(text.replace(/\s+/g, ' ')).toContain(
      'Die Prüfung der Zuständigkeit bei Zuzug (aktuelle Meldebescheinigung) hat ergeben, dass Jobcenter Cottbus nicht zuständig ist.',
    );
    expect(text.replace(/\s+/g, ' ')).toContain('(§ 16 Abs. 2 SGB I)');
    expect(letter!.post_status).toBe('to-print');
  });
});
