/** Not responsible after a relocation: files the forwarding note and closes the case here. neukunde-cottbus. */
import { z } from 'zod';

import { fileLetter } from '../src/adapters/index.js';
import { forwardingNote } from '../src/documents/texts.js';
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
  description: 'Files the Abgabenachricht to the responsible jobcenter and marks the application forwarded.',
  input: z.object({ applicationId: z.string().uuid(), jurisdictionEvidence: Evidence.nullish() }),
  output: z.object({ documentId: z.string().uuid() }),
  errors: [],
  async handler({ applicationId, jurisdictionEvidence }, { externalTask, deps }) {
    const { application, settings } = await loadCase(deps, applicationId);
    const kind = externalTask.properties.template ?? 'abgabe-nicht-zustaendig';
    const documentId = await fileLetter(deps.adapters.of(application.jobcenter).eakte, {
      jobcenter: application.jobcenter,
      applicationId,
      kind,
      title: 'Abgabenachricht',
      paragraphs: forwardingNote({
        jobcenter: settings.name,
        evidence: jurisdictionEvidence ? EVIDENCE[jurisdictionEvidence] : null,
      }),
      dedupKey: `${applicationId}:${kind}`,
    });
    await setApplicationStatus(deps.store.db, applicationId, 'forwarded');
    return { documentId };
  },
});
