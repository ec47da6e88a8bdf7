/**
 * Not responsible after a relocation: files the Abgabenachricht, a letter to the head of the household saying the
 * application went on to the responsible jobcenter (wording: processes/<jobcenter>/letters/abgabenachricht.txt),
 * posted by the post room, and closes the case here. neukunde-cottbus.
 */
import { z } from 'zod';

import { fileLetter } from '../src/adapters/index.js';
import { berlinDate } from '../src/calendar/index.js';
import { letterFrame, recipientOf, salutationOf, signatureOf } from '../src/documents/business-letter.js';
import { renderTemplate } from '../src/documents/templates.js';
import { de } from '../src/documents/texts.js';
import { setApplicationStatus } from '../src/domain/applications.js';
import { loadCase } from '../src/domain/cases.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

/** The values of the ID check form's jurisdictionEvidence (cottbus-id-check), and what the letter calls them. */
const Evidence = z.enum(['identity-document', 'lease', 'registration']);
const EVIDENCE: Record<z.infer<typeof Evidence>, string> = {
  'identity-document': 'Ausweisdokument',
  lease: 'Mietvertrag',
  registration: 'aktuelle Meldebescheinigung',
};

export default defineWorker({
  topic: 'documents.issue-forwarding-note',
  description: 'Files the Abgabenachricht to the head of the household and marks the application forwarded.',
  input: z.object({ applicationId: z.string().uuid(), jurisdictionEvidence: Evidence.nullish() }),
  output: z.object({ documentId: z.string().uuid() }),
  errors: [],
  async handler({ applicationId, jurisdictionEvidence }, { externalTask, deps }) {
    const { application, settings } = await loadCase(deps, applicationId);
    const kind = externalTask.properties.template ?? 'abgabe-nicht-zustaendig';
    const head = await recipientOf(deps.store.db, applicationId);
    const text = renderTemplate(settings, 'abgabenachricht', {
      anrede: salutationOf(head.recipient),
      jobcenter: settings.name,
      antragsdatum: de(application.application_date),
      nachweis: jurisdictionEvidence
        ? EVIDENCE[jurisdictionEvidence]
        : 'Ausweisdokument, Mietvertrag oder Meldebescheinigung',
      grussformel: signatureOf(settings),
    });
    const documentId = await fileLetter(deps.adapters.of(application.jobcenter).eakte, {
      jobcenter: application.jobcenter,
      applicationId,
      kind,
      title: text.subject,
      paragraphs: text.paragraphs,
      frame: letterFrame(settings, { ...head, date: berlinDate(deps.now()) }),
      // The household is no longer this jobcenter's to see at the front desk: the letter goes by post.
      post: true,
      dedupKey: `${applicationId}:${kind}`,
    });
    await setApplicationStatus(deps.store.db, applicationId, 'forwarded');
    return { documentId };
  },
});
