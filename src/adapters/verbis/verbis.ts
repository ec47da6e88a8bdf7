/**
 * VerBIS (with STEP): the customer records of the Bundesagentur, their KD numbers, tasks and history notes. The
 * interface speaks VerBIS's terms; `store-verbis.ts` keeps them in our store, a connector to the real VerBIS
 * implements the same (docs/adapters.md).
 */

/** One eLb whose customer record is to be created or reactivated. */
export interface CustomerRecord {
  /** Our person: the KD number is returned under this id. */
  personId: string;
  /** Name and birth date find a returning person's record again. */
  givenName: string;
  familyName: string;
  birthDate: string;
  /** The main caseworker (Hauptbetreuer) and team; null when the jobcenter has none for the person. */
  caseworker: { id: string; team: string } | null;
}

export interface CustomerRecordsRequest {
  applicationId: string;
  /** Receives Arbeitslosengeld: the jobcenter gives secondary care and the front desk (EZ) gets a task per person. */
  aufstocker: boolean;
  customers: CustomerRecord[];
}

export interface HistoryNote {
  applicationId: string;
  /** The person the note is about; null for a note on the whole application. */
  personId: string | null;
  text: string;
  /** The same key is the same note: a repeat writes nothing and returns the first note's id. */
  dedupKey: string;
}

export interface Verbis {
  /**
   * Creates the SGB II customer record of each person, or reactivates the one a returning person already has (same
   * KD number), with the given main caseworker; for an Aufstocker it sets the flag, secondary care, and lays one task
   * for the front desk per person. All records or none; a repeat returns the same KD numbers and lays no second task.
   * Returns the KD number by personId. The store's implementation also notes the KD numbers on our persons, atomically.
   */
  upsertCustomers(request: CustomerRecordsRequest): Promise<Record<string, string>>;

  /** Writes a history note (Historienvermerk) once per dedup key; returns its id. */
  writeHistoryNote(note: HistoryNote): Promise<string>;
}
