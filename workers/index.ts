/** The registry of every job worker; the contract test checks it against the job types in processes/. */
import type { AnyWorker } from '../src/zeebe/define-worker.js';
import skeletonComputeDueDate from './skeleton.compute-due-date.js';
import skeletonRecordVisit from './skeleton.record-visit.js';

export const workers: AnyWorker[] = [skeletonRecordVisit, skeletonComputeDueDate];
