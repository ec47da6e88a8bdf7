/**
 * After booking: the invitation to the first consultation with Rechtsfolgenbelehrung as a PDF letter, or in
 * special cases only a phone note (history note). Once per person and appointment. Both processes.
 */
import { z } from 'zod';

import { fileLetter } from '../src/adapters/index.js';
import { invitation, phoneNote } from '../src/documents/texts.js';
import { loadCase } from '../src/domain/cases.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  topic: 'documents.issue-invitation',
  description: 'Files the invitation with Rechtsfolgenbelehrung, or a phone note when the ID check said so.',
  input: z.object({
    applicationId: z.string().uuid(),
    personId: z.string().uuid(),
    appointment: z.object({ id: z.string().uuid(), startsAt: z.string(), caseworkerId: z.string() }).passthrough(),
    invitationByPhone: z.boolean().nullish(),
  }),
  output: z.object({ invitation: z.enum(['letter', 'phone']) }),
  errors: [],
  async handler({ applicationId, personId, appointment, invitationByPhone }, { externalTask, deps }) {
    const { application, persons, settings } = await loadCase(deps, applicationId);
    const { verbis, eakte } = deps.adapters.of(application.jobcenter);
    const kdNumber = persons.find((p) => p.id === personId)?.kd_number ?? 'neu';
    if (invitationByPhone) {
      const dedupKey = `${applicationId}:${externalTask.properties.phoneNoteTemplate ?? 'telefonischer-hinweis'}:${appointment.id}`;
      await verbis.writeHistoryNote({
        applicationId,
        personId,
        text: phoneNote({ kdNumber, startsAt: appointment.startsAt }),
        dedupKey,
      });
      return { invitation: 'phone' as const };
    }
    const caseworker =
      settings.caseworkers.find((c) => c.id === appointment.caseworkerId)?.name ?? appointment.caseworkerId;
    const template = externalTask.properties.template ?? 'einladung-rfb';
    await fileLetter(eakte, {
      jobcenter: application.jobcenter,
      applicationId,
      personId,
      kind: template,
      title: 'Einladung mit Rechtsfolgenbelehrung',
      paragraphs: invitation({ kdNumber, startsAt: appointment.startsAt, caseworker }),
      dedupKey: `${applicationId}:${template}:${appointment.id}`,
    });
    return { invitation: 'letter' as const };
  },
});
