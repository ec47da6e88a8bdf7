/**
 * FMG.job: who holds a person's case (the branch's virtual worker, the responsible IFK, a special team) and the
 * entries for the statistical minimum standards (Kundenstatus, BaEL). `store-fmg.ts` keeps them in our store; a
 * connector implements the same.
 */

export interface PersonCase {
  applicationId: string;
  personId: string;
}

export interface StatisticsEntry {
  /** `kundenstatus`, `qualitatives-vermittlungsprofil`, `bael-asu-na`, `bael-alo`. */
  kind: string;
  value: string;
  /** The local date the entry is valid from. */
  validFrom: string;
}

/** The Kundensteuerung results of the DMN. */
export type Routing = 'REHA_SB' | 'START_KLAR' | 'MASSNAHMEBETRIEB' | 'VERBLEIB';

export interface Fmg {
  /** Puts the case on the branch's virtual worker ("QuEr.<GST>, VM"); once per case, a repeat changes nothing. */
  assignVirtualWorker(request: PersonCase & { virtualWorkerId: string }): Promise<void>;

  /** The IFK the case was moved to from the virtual worker, if that happened. */
  responsibleIfk(request: PersonCase): Promise<string | undefined>;

  /** Moves the case from the virtual worker to the responsible IFK; once per case: a repeat keeps the first IFK. */
  reassignFromVirtualWorker(request: PersonCase & { ifkId: string }): Promise<void>;

  /** Records the Kundensteuerung result of the person; a later result replaces it. */
  recordRouting(request: PersonCase & { routing: Routing }): Promise<void>;

  /** Moves the case to a caseworker of the special team of the routing; once per routing. */
  assignSpecialTeam(request: PersonCase & { routing: Routing; caseworkerId: string }): Promise<void>;

  /** Sets the statistics entries, recorded by the given caseworker; an entry set before keeps its value and date. */
  setStatisticsEntries(request: PersonCase & { recordedBy: string; entries: StatisticsEntry[] }): Promise<void>;
}
