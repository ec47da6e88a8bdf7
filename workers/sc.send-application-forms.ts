/** Service centre: the basic data is captured and the application forms go out by post; the ID check in EZ still follows. neukunde-cottbus. */
import { z } from 'zod';

import { fileLetter } from '../src/adapters/index.js';
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
    const documentId = await fileLetter(deps.adapters.of(application.jobcenter).eakte, {
      jobcenter: application.jobcenter,
      applicationId,
      kind: 'sc-versand',
      title: 'Versand der Antragsunterlagen durch das Servicecenter',
      paragraphs: [
        `${settings.name}: die Grunddaten aller Mitglieder der Bedarfsgemeinschaft wurden telefonisch erfasst.`,
        'Versandt:',
        ...formsFor(application.flags as { selfEmployed?: boolean }),
        'Hinweis: Die persönliche Vorsprache zur ID-Prüfung in der Eingangszone bleibt erforderlich; die Antragsabgabe ist per Post, Hausbriefkasten oder online möglich.',
      ],
      dedupKey: `${applicationId}:sc-versand`,
    });
    return { documentId };
  },
});
