/** Not responsible after a relocation: files the forwarding note and closes the case here. neukunde-cottbus. */
import { z } from 'zod';
import { loadCase } from '../src/domain/cases.js';
import { fileLetter } from '../src/documents/letters.js';
import { forwardingNote } from '../src/documents/texts.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  type: 'documents.issue-forwarding-note',
  description: 'Files the Abgabenachricht to the responsible jobcenter and marks the application forwarded.',
  input: z.object({ applicationId: z.string().uuid(), jurisdictionEvidence: z.string().max(100).nullish() }),
  output: z.object({ documentId: z.string().uuid() }),
  errors: [],
  async handler({ applicationId, jurisdictionEvidence }, { job, deps }) {
    const { application, settings } = await loadCase(deps, applicationId);
    const kind = job.properties.template ?? 'abgabe-nicht-zustaendig';
    const documentId = await fileLetter(deps.store.db, {
      jobcenter: application.jobcenter,
      applicationId,
      kind,
      title: 'Abgabenachricht',
      paragraphs: forwardingNote({ jobcenter: settings.name, evidence: jurisdictionEvidence ?? null }),
      dedupKey: `${applicationId}:${kind}`,
    });
    await deps.store.db.updateTable('applications').set({ status: 'forwarded' }).where('id', '=', applicationId).execute();
    return { documentId };
  },
});
