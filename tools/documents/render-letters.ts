/**
 * `npm run letters:pictures`: the cover letter, an Arbeitspaket and the invitation for a made-up household in
 * Cottbus, from the jobcenter's own templates and letterhead through the same code the workers use (templates,
 * frame, PDF), written to docs/letters/<letter>.pdf and their first page as <letter>.png for the documentation and
 * the issue. No store and no engine: the recipient and the numbers are the demo's, not read from anywhere.
 *
 * The pictures come from poppler's pdftoppm, the PDF as a viewer renders it (not our own drawing of it). Where it
 * is not installed and there is no root, it can be unpacked without: apt-get download poppler-utils libpoppler126
 * libopenjp2-7, dpkg -x each into a folder, then PDFTOPPM=<folder>/usr/bin/pdftoppm and
 * LD_LIBRARY_PATH=<folder>/usr/lib/x86_64-linux-gnu.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { loadJobcenters } from '../../src/config/load.js';
import { letterFrame, type Recipient, salutationOf, signatureOf } from '../../src/documents/business-letter.js';
import { type Letter, renderLetter } from '../../src/documents/letters.js';
import { renderTemplate } from '../../src/documents/templates.js';
import { appointmentParts, de, formsFor } from '../../src/documents/texts.js';

const OUT = 'docs/letters';
const PDFTOPPM = process.env.PDFTOPPM ?? 'pdftoppm';

/** The demo household: made up, as is every number. */
const DATE = '2026-11-23';
const CASE = { caseNumber: 'CO-2026-00042', bgNumber: 'COTBG0000042' };
const ADDRESS = ['Lindenstraße 12', '03046 Cottbus'];
const head: Recipient = {
  givenName: 'Erika',
  familyName: 'Musterfrau',
  salutation: 'Frau',
  address: ['Frau Erika Musterfrau', ...ADDRESS],
  kdNumber: '123D456789',
};
const son: Recipient = {
  givenName: 'Jonas',
  familyName: 'Musterfrau',
  salutation: null,
  address: ['Jonas Musterfrau', ...ADDRESS],
  kdNumber: '123D456790',
};

const { jobcenters } = loadJobcenters('processes');
const settings = jobcenters.get('cottbus');
if (!settings) throw new Error('processes/cottbus is missing');
const base = { jobcenter: settings.id, applicationId: '00000000-0000-4000-8000-000000000042' };
const forms = formsFor({ selfEmployed: true });
const caseworker = settings.caseworkers[0]!;

const cover = renderTemplate(settings, 'anschreiben-antragsunterlagen', {
  anrede: salutationOf(head),
  jobcenter: settings.name,
  antragsdatum: de(DATE),
  rueckgabedatum: de('2026-12-07'),
  formulare: forms,
  grussformel: signatureOf(settings),
});
const paket = renderTemplate(settings, 'arbeitspaket', {
  anrede: salutationOf(son),
  jobcenter: settings.name,
  kundennummer: son.kdNumber ?? '',
  rueckgabedatum: de('2026-12-07'),
  grussformel: signatureOf(settings),
});
const lh = settings.letters;
const office = lh ? `${lh.name}, ${lh.street}, ${lh.postcode} ${lh.city}` : settings.name;
const invitation = renderTemplate(settings, 'einladung-rfb', {
  anrede: salutationOf(head),
  jobcenter: settings.name,
  ...appointmentParts('2026-12-07T08:20:00.000Z'),
  ansprechpartner: caseworker.name,
  telefonisch: false,
  ort: caseworker.room ? `${office}, ${caseworker.room}` : office,
  telefon: caseworker.phone ?? lh?.phone ?? settings.name,
  grussformel: signatureOf(settings),
});

const letters: [name: string, letter: Letter][] = [
  [
    'anschreiben-antragsunterlagen',
    {
      ...base,
      kind: 'anschreiben-antragsunterlagen',
      title: cover.subject,
      paragraphs: cover.paragraphs,
      frame: letterFrame(settings, { recipient: head, ...CASE, date: DATE }),
      dedupKey: 'demo:anschreiben',
    },
  ],
  [
    'arbeitspaket',
    {
      ...base,
      kind: 'arbeitspaket',
      title: paket.subject,
      paragraphs: paket.paragraphs,
      frame: letterFrame(settings, { recipient: son, ...CASE, date: DATE }),
      dedupKey: 'demo:arbeitspaket',
    },
  ],
  [
    'einladung-rfb',
    {
      ...base,
      kind: 'einladung-rfb',
      title: invitation.subject,
      paragraphs: invitation.paragraphs,
      frame: letterFrame(settings, { recipient: head, ...CASE, date: DATE, caseworker }),
      dedupKey: 'demo:einladung',
    },
  ],
];

mkdirSync(OUT, { recursive: true });
for (const [name, letter] of letters) {
  const pdf = path.join(OUT, `${name}.pdf`);
  writeFileSync(pdf, await renderLetter(letter));
  try {
    // 110 dpi: an A4 page of about 910 x 1290 pixels, the small print of the return line still legible.
    execFileSync(PDFTOPPM, ['-png', '-r', '110', '-f', '1', '-l', '1', '-singlefile', pdf, path.join(OUT, name)]);
  } catch (error) {
    process.stderr.write(
      `letters: ${PDFTOPPM} failed (${error instanceof Error ? error.message : String(error)}); see the note atop tools/documents/render-letters.ts\n`,
    );
    process.exitCode = 1;
    break;
  }
  process.stdout.write(`letters: ${pdf} → ${path.join(OUT, `${name}.png`)}\n`);
}
