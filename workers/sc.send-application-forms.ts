/**
 * Service centre: the basic data is captured and the application forms go out by post to the head of the
 * household, with a letter worded in processes/<jobcenter>/letters/versand-antragsunterlagen.txt; the ID check in
 * EZ still follows. neukunde-cottbus.
 */
import { z } from 'zod';

import { fileLetter } from '../src/adapters/index.js';
import { berlinDate } from '../src/calendar/index.js';
import { letterFrame, recipientOf, salutationOf, signatureOf } from '../src/documents/business-letter.js';
import { renderTemplate } from '../src/documents/templates.js';
import { formsFor } from '../src/documents/texts.js';
import { loadCase } from '../src/domain/cases.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  topic: 'sc.send-application-forms',
  description: 'Files the postal dispatch of the application forms by the service centre, once per application.',
  input: z.object({ applicationId: z.string().uuid() }),
  output: z.object({ documentId: z.string().uuid() }),
  errors: [],
  async handler({ applicationId }, { deps }) {
    const { application, settings } = await loadCase(deps, applicationId);
    const head = await recipientOf(deps.store.db, applicationId);
    const text = renderTemplate(settings, 'versand-antragsunterlagen', {
      anrede: salutationOf(head.recipient),
      jobcenter: settings.name,
      formulare: formsFor(application.flags as { selfEmployed?: boolean }),
      grussformel: signatureOf(settings),
    });
    const documentId = await fileLetter(deps.adapters.of(application.jobcenter).eakte, {
      jobcenter: application.jobcenter,
      applicationId,
      kind: 'sc-versand',
      title: text.subject,
      paragraphs: text.paragraphs,
      frame: letterFrame(settings, { ...head, date: berlinDate(deps.now()) }),
      // The service centre took the application by phone: the forms can only reach the household by post.
      post: true,
      dedupKey: `${applicationId}:sc-versand`,
    });
    return { documentId };
  },
});
