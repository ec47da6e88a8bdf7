/**
 * Records in FMG.job that the consultation note (Vermerkart from the header, e.g. "QuEr") was taken with all
 * required contents. The contents themselves reach the store through the API's quer-held event and never the
 * process; this step only confirms and dates them. quer-wuppertal.
 */
import { z } from 'zod';
import { IsoDate } from '../src/calendar/iso-date-schema.js';
import { header } from '../src/domain/cases.js';
import { defineWorker, IncidentError } from '../src/zeebe/define-worker.js';

const Consultation = z.object({ heldOn: IsoDate, beratungsvermerkErfasst: z.boolean().nullish() }).passthrough();

export default defineWorker({
  type: 'fmg.write-consultation-note',
  description: 'Confirms the consultation note in FMG.job with the day of the consultation and where its contents are kept.',
  input: z.object({ applicationId: z.string().uuid(), personId: z.string().uuid(), quer: Consultation.nullish(), memberConsultation: Consultation.nullish() }),
  output: z.object({ noteStoredBy: z.enum(['api', 'fmg']) }),
  errors: [],
  async handler({ applicationId, personId, quer, memberConsultation }, { job, deps }) {
    const vermerkart = header(job.customHeaders, 'vermerkart');
    const consultation = quer ?? memberConsultation;
    if (!consultation) throw new IncidentError('neither quer nor memberConsultation is set');
    if (consultation.beratungsvermerkErfasst !== true) throw new IncidentError('the Beratungsvermerk is not confirmed');
    const { jobcenter } = await deps.store.db.selectFrom('applications').select('jobcenter').where('id', '=', applicationId).executeTakeFirstOrThrow();
    const note = await deps.store.db.selectFrom('consultation_notes').select('id').where('application_id', '=', applicationId).where('person_id', '=', personId).executeTakeFirst();
    // Entered through the API the note is in our store; confirmed in Tasklist it was written in FMG.job itself.
    const noteStoredBy = note ? ('api' as const) : ('fmg' as const);
    await deps.store.db
      .insertInto('fmg_entries')
      .values({ application_id: applicationId, person_id: personId, jobcenter, kind: `beratungsvermerk-${vermerkart.toLowerCase()}`, value: noteStoredBy === 'api' ? `erfasst (Speicher ${note!.id})` : 'erfasst (FMG.job)', valid_from: consultation.heldOn, recorded_by: 'system' })
      .onConflict((oc) => oc.columns(['application_id', 'person_id', 'kind']).doNothing())
      .execute();
    return { noteStoredBy };
  },
});
