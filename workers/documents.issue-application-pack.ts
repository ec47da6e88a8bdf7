/**
 * Issues the application pack into the eAkte as PDF letters: the forms by situation with the cover letter to the
 * head of the household ("Wir erwarten den Eingang Ihrer Antragsunterlagen bis zum ..."), the checklist of missing
 * documents, the leaflet, and an Arbeitspaket with its return date per eLb, addressed to that person. The letters'
 * wording is the jobcenter's template (processes/<jobcenter>/letters/). Once per application. neukunde-cottbus,
 * quer-wuppertal. The pack is handed over at the front desk after the ID check (every channel passes it), so none of
 * it goes to the post room's print list.
 */
import { z } from 'zod';

import { berlinDate } from '../src/calendar/index.js';
import { IsoDate } from '../src/calendar/iso-date-schema.js';
import {
  enclosureReference,
  letterFrame,
  recipientOf,
  salutationOf,
  signatureOf,
} from '../src/documents/business-letter.js';
import type { Letter } from '../src/documents/letters.js';
import { renderTemplate } from '../src/documents/templates.js';
import { checklist, de, formsFor, LEAFLET, WUPPERTAL_HANDOUT, wuppertalHandout } from '../src/documents/texts.js';
import { loadCase } from '../src/domain/cases.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';
import { IdList } from './persons.derive-eligibility-facts.js';

export default defineWorker({
  topic: 'documents.issue-application-pack',
  description: 'Files the cover letter, forms, checklist, leaflet and one Arbeitspaket per eLb in the eAkte.',
  input: z.object({
    applicationId: z.string().uuid(),
    documentsReturnDate: IsoDate.optional(),
    arbeitspaketReturnDate: IsoDate.optional(),
    eligiblePersonIds: IdList.default([]),
  }),
  output: z.object({ documentIds: z.array(z.string().uuid()) }),
  errors: [],
  async handler(input, { externalTask, deps }) {
    const { application, persons, settings, calendar } = await loadCase(deps, input.applicationId);
    const template = externalTask.properties.template ?? 'anschreiben-antragsunterlagen';
    if (template === WUPPERTAL_HANDOUT) {
      const letters = wuppertalHandout(settings.name).map(([kind, title, paragraphs]) => ({
        jobcenter: application.jobcenter,
        applicationId: application.id,
        kind,
        title,
        paragraphs,
        dedupKey: `${application.id}:${kind}`,
      }));
      return { documentIds: await deps.adapters.of(application.jobcenter).eakte.fileLetters(letters) };
    }
    const flags = application.flags as { selfEmployed?: boolean };
    const returnDate =
      input.documentsReturnDate ??
      calendar.addWorkingDays(application.application_date, settings.deadlines.documentsReturnWorkingDays ?? 10);
    const forms = formsFor(flags);
    const base = { jobcenter: application.jobcenter, applicationId: application.id };
    const date = berlinDate(deps.now());
    const head = await recipientOf(deps.store.db, application.id);
    // An enclosure that comes loose from its letter still names the case it belongs to.
    const enclosureOf = enclosureReference(head);
    const cover = renderTemplate(settings, 'anschreiben-antragsunterlagen', {
      anrede: salutationOf(head.recipient),
      jobcenter: settings.name,
      antragsdatum: de(application.application_date),
      rueckgabedatum: de(returnDate),
      formulare: forms,
      grussformel: signatureOf(settings),
    });
    const letters: Letter[] = [
      {
        ...base,
        kind: template,
        title: cover.subject,
        paragraphs: cover.paragraphs,
        frame: letterFrame(settings, { ...head, date }),
        dedupKey: `${application.id}:${template}`,
      },
      {
        ...base,
        kind: 'checkliste',
        title: 'Checkliste zur Antragsabgabe',
        paragraphs: [enclosureOf, ...checklist(forms, forms)],
        dedupKey: `${application.id}:checkliste`,
      },
      {
        ...base,
        kind: 'merkblatt',
        title: 'Merkblatt Arbeitslosengeld II/Sozialgeld',
        paragraphs: [enclosureOf, ...LEAFLET],
        dedupKey: `${application.id}:merkblatt`,
      },
    ];
    for (const personId of input.eligiblePersonIds) {
      if (!persons.some((p) => p.id === personId)) continue;
      const to = await recipientOf(deps.store.db, application.id, personId);
      const text = renderTemplate(settings, 'arbeitspaket', {
        anrede: salutationOf(to.recipient),
        jobcenter: settings.name,
        kundennummer: to.recipient.kdNumber ?? '',
        rueckgabedatum: de(input.arbeitspaketReturnDate ?? returnDate),
        grussformel: signatureOf(settings),
      });
      letters.push({
        ...base,
        personId,
        kind: 'arbeitspaket',
        title: text.subject,
        paragraphs: text.paragraphs,
        frame: letterFrame(settings, { ...to, date }),
        dedupKey: `${application.id}:arbeitspaket:${personId}`,
      });
    }
    const ids = await deps.adapters.of(application.jobcenter).eakte.fileLetters(letters);
    return { documentIds: ids };
  },
});
