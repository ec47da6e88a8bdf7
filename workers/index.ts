/** The registry of every external-task worker; the contract test checks it against the topics in processes/. */
import type { AnyWorker } from '../src/worker-runtime/define-worker.js';
import allegroAssignBgNumber from './allegro.assign-bg-number.js';
import allegroRecordApplicationDate from './allegro.record-application-date.js';
import applicationsRecordEligibility from './applications.record-eligibility.js';
import applicationsRecordOutcome from './applications.record-outcome.js';
import atvBookFirstConsultation from './atv.book-first-consultation.js';
import atvBookShortNoticeAppointment from './atv.book-short-notice-appointment.js';
import atvBookSubmissionAppointment from './atv.book-submission-appointment.js';
import atvRecordDeputyBooking from './atv.record-deputy-booking.js';
import calendarComputeDeadlines from './calendar.compute-deadlines.js';
import calendarComputeDecisionDeadline from './calendar.compute-decision-deadline.js';
import calendarComputeQuerDeadlines from './calendar.compute-quer-deadlines.js';
import deadlinesCloseNotApplicable from './deadlines.close-not-applicable.js';
import deadlinesCountOpen from './deadlines.count-open.js';
import deadlinesRecordBreach from './deadlines.record-breach.js';
import deadlinesRecordMet from './deadlines.record-met.js';
import documentsIssueApplicationPack from './documents.issue-application-pack.js';
import documentsIssueForwardingNote from './documents.issue-forwarding-note.js';
import documentsIssueInvitation from './documents.issue-invitation.js';
import fmgAssignVirtualWorker from './fmg.assign-virtual-worker.js';
import fmgReassignFromVirtualWorker from './fmg.reassign-from-virtual-worker.js';
import fmgRouteToSpecialTeam from './fmg.route-to-special-team.js';
import fmgSetStatisticsEntries from './fmg.set-statistics-entries.js';
import notifySend from './notify.send.js';
import personsDeriveEligibilityFacts from './persons.derive-eligibility-facts.js';
import reportsCheckCapacity from './reports.check-capacity.js';
import scSendApplicationForms from './sc.send-application-forms.js';
import verbisUpsertCustomers from './verbis.upsert-customers.js';
import verbisWriteHistoryNote from './verbis.write-history-note.js';

export const workers: AnyWorker[] = [
  allegroAssignBgNumber,
  allegroRecordApplicationDate,
  applicationsRecordEligibility,
  applicationsRecordOutcome,
  atvBookFirstConsultation,
  atvBookShortNoticeAppointment,
  atvBookSubmissionAppointment,
  atvRecordDeputyBooking,
  calendarComputeDeadlines,
  calendarComputeDecisionDeadline,
  calendarComputeQuerDeadlines,
  deadlinesCloseNotApplicable,
  deadlinesCountOpen,
  deadlinesRecordBreach,
  deadlinesRecordMet,
  documentsIssueApplicationPack,
  documentsIssueForwardingNote,
  documentsIssueInvitation,
  fmgAssignVirtualWorker,
  fmgReassignFromVirtualWorker,
  fmgRouteToSpecialTeam,
  fmgSetStatisticsEntries,
  notifySend,
  personsDeriveEligibilityFacts,
  reportsCheckCapacity,
  scSendApplicationForms,
  verbisUpsertCustomers,
  verbisWriteHistoryNote,
];
