/**
 * Issues the application pack into the eAkte as PDF letters: the forms by situation with the cover letter
 * ("Wir erwarten den Eingang Ihrer Antragsunterlagen bis zum ..."), the checklist of missing documents, the
 * leaflet, and an Arbeitspaket with its return date per eLb. Once per application. neukunde-cottbus, quer-wuppertal.
 */
import { z } from 'zod';

import { IsoDate } from '../src/calendar/iso-date-schema.js';
import type { Letter } from '../src/documents/letters.js';
import {
  arbeitspaket,
  checklist,
  coverLetter,
  formsFor,
  LEAFLET,
  WUPPERTAL_HANDOUT,
  wuppertalHandout,
} from '../src/documents/texts.js';
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
    const letters: Letter[] = [
      {
        ...base,
        kind: template,
        title: 'Anschreiben Antragsunterlagen',
        paragraphs: [
          ...coverLetter({
            jobcenter: settings.name,
            applicationDate: application.application_date,
            documentsReturnDate: returnDate,
          }),
          'Beigefügt:',
          ...forms,
        ],
        dedupKey: `${application.id}:${template}`,
      },
      {
        ...base,
        kind: 'checkliste',
        title: 'Checkliste zur Antragsabgabe',
        paragraphs: checklist(forms, forms),
        dedupKey: `${application.id}:checkliste`,
      },
      {
        ...base,
        kind: 'merkblatt',
        title: 'Merkblatt Arbeitslosengeld II/Sozialgeld',
        paragraphs: LEAFLET,
        dedupKey: `${application.id}:merkblatt`,
      },
    ];
    for (const personId of input.eligiblePersonIds) {
      const person = persons.find((p) => p.id === personId);
      if (!person) continue;
      letters.push({
        ...base,
        personId,
        kind: 'arbeitspaket',
        title: 'Arbeitspaket SGB II',
        paragraphs: arbeitspaket({
          kdNumber: person.kd_number ?? 'neu',
          returnDate: input.arbeitspaketReturnDate ?? returnDate,
        }),
        dedupKey: `${application.id}:arbeitspaket:${personId}`,
      });
    }
    const ids = await deps.adapters.of(application.jobcenter).eakte.fileLetters(letters);
    return { documentIds: ids };
  },
});
