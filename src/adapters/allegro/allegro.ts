/**
 * ALLEGRO: the benefits system's Bedarfsgemeinschaften (BG numbers, with the head of household as Vorstand) and
 * case periods (Fallzeiträume). `store-allegro.ts` keeps them in our store; a connector implements the same.
 */

export interface Allegro {
  /** The BG number the application is linked to, if it is linked already. */
  bgNumberOf(applicationId: string): Promise<string | undefined>;

  /**
   * Links the application to the BG whose Vorstand is the head of household (by KD number): the head's existing BG
   * when there is one, otherwise a new BG with a new number. One BG per head; a repeat, or the head's next
   * application, returns the same number. The BG and its link are written together or not at all.
   */
  assignBgNumber(request: { applicationId: string; headKdNumber: string }): Promise<string>;

  /**
   * Records the application date in the case periods, once per application. The date cannot be changed in ALLEGRO:
   * a repeat changes nothing, whatever date it carries.
   */
  recordApplicationDate(request: { applicationId: string; bgNumber: string; applicationDate: string }): Promise<void>;
}
