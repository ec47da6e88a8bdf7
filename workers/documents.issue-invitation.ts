/**
 * After booking: the invitation to the first consultation with Rechtsfolgenbelehrung as a PDF letter to the person
 * (date, time, room or phone, caseworker; wording from processes/<jobcenter>/letters/einladung-rfb.txt), or in
 * special cases only a phone note (history note). Once per person and appointment. Both processes.
 */
import { z } from 'zod';

import { fileLetter } from '../src/adapters/index.js';
import { berlinDate } from '../src/calendar/index.js';
import { letterFrame, recipientOf, salutationOf, signatureOf } from '../src/documents/business-letter.js';
import { renderTemplate } from '../src/documents/templates.js';
import { appointmentParts, phoneNote } from '../src/documents/texts.js';
import { loadCase } from '../src/domain/cases.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  topic: 'documents.issue-invitation',
  description: 'Files the invitation with Rechtsfolgenbelehrung, or a phone note when the ID check said so.',
  input: z.object({
    applicationId: z.string().uuid(),
    personId: z.string().uuid(),
    appointment: z
      .object({
        id: z.string().uuid(),
        startsAt: z.string(),
        caseworkerId: z.string(),
        /** A first consultation by phone (seed: "situationsbedingt"); in person unless said. */
        mode: z.enum(['in-person', 'phone']).optional(),
      })
      .passthrough(),
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
    const staff = settings.caseworkers.find((c) => c.id === appointment.caseworkerId);
    const caseworker = { name: staff?.name ?? appointment.caseworkerId, room: staff?.room, phone: staff?.phone };
    const template = externalTask.properties.template ?? 'einladung-rfb';
    const to = await recipientOf(deps.store.db, applicationId, personId);
    const when = appointmentParts(appointment.startsAt);
    const lh = settings.letters;
    const office = lh ? `${lh.name}, ${lh.street}, ${lh.postcode} ${lh.city}` : settings.name;
    const text = renderTemplate(settings, 'einladung-rfb', {
      anrede: salutationOf(to.recipient),
      jobcenter: settings.name,
      ...when,
      ansprechpartner: caseworker.name,
      telefonisch: appointment.mode === 'phone',
      ort: caseworker.room ? `${office}, ${caseworker.room}` : office,
      telefon: caseworker.phone ?? lh?.phone ?? settings.name,
      grussformel: signatureOf(settings),
    });
    await fileLetter(eakte, {
      jobcenter: application.jobcenter,
      applicationId,
      personId,
      kind: template,
      title: text.subject,
      paragraphs: text.paragraphs,
      frame: letterFrame(settings, { ...to, date: berlinDate(deps.now()), caseworker }),
      // Booked after the person has left the front desk (or later by a deputy): posted, and the print list's
      // "gedruckt und versandt" records the day it went out, which a reduction for a missed appointment relies on.
      post: true,
      dedupKey: `${applicationId}:${template}:${appointment.id}`,
    });
    return { invitation: 'letter' as const };
  },
});
