/** The registry of every job worker; the contract test checks it against the job types in processes/. */
import type { AnyWorker } from '../src/zeebe/define-worker.js';
import allegroAssignBgNumber from './allegro.assign-bg-number.js';
import allegroRecordApplicationDate from './allegro.record-application-date.js';
import applicationsRecordEligibility from './applications.record-eligibility.js';
import atvBookFirstConsultation from './atv.book-first-consultation.js';
import atvRecordDeputyBooking from './atv.record-deputy-booking.js';
import calendarComputeDeadlines from './calendar.compute-deadlines.js';
import calendarComputeDecisionDeadline from './calendar.compute-decision-deadline.js';
import deadlinesRecordBreach from './deadlines.record-breach.js';
import deadlinesRecordMet from './deadlines.record-met.js';
import documentsIssueApplicationPack from './documents.issue-application-pack.js';
import documentsIssueForwardingNote from './documents.issue-forwarding-note.js';
import documentsIssueInvitation from './documents.issue-invitation.js';
import notifySend from './notify.send.js';
import personsDeriveEligibilityFacts from './persons.derive-eligibility-facts.js';
import scSendApplicationForms from './sc.send-application-forms.js';
import skeletonComputeDueDate from './skeleton.compute-due-date.js';
import skeletonRecordVisit from './skeleton.record-visit.js';
import verbisUpsertCustomers from './verbis.upsert-customers.js';
import verbisWriteHistoryNote from './verbis.write-history-note.js';

export const workers: AnyWorker[] = [
  allegroAssignBgNumber,
  allegroRecordApplicationDate,
  applicationsRecordEligibility,
  atvBookFirstConsultation,
  atvRecordDeputyBooking,
  calendarComputeDeadlines,
  calendarComputeDecisionDeadline,
  deadlinesRecordBreach,
  deadlinesRecordMet,
  documentsIssueApplicationPack,
  documentsIssueForwardingNote,
  documentsIssueInvitation,
  notifySend,
  personsDeriveEligibilityFacts,
  scSendApplicationForms,
  skeletonComputeDueDate,
  skeletonRecordVisit,
  verbisUpsertCustomers,
  verbisWriteHistoryNote,
];
