/**
 * The Neukunde DMN's rules in their order (processes/shared/neukunde.dmn), for fakes of the engine port in unit
 * tests and the benchmark. The DMN itself runs in the engine and is checked there rule by rule
 * (test/integration/neukunde-dmn.integration.spec.ts); this copy only has to give the HTTP layer a plausible answer.
 */
export function neukundeByTheRules(v: Record<string, unknown>): { neukunde: boolean; reason: string } {
  if (!v.reached15) return { neukunde: false, reason: 'UNTER_15' };
  if (!v.belowAgeLimit) return { neukunde: false, reason: 'ALTERSGRENZE_7A' };
  if (!v.habitualResidenceInGermany) return { neukunde: false, reason: 'KEIN_GEWOEHNLICHER_AUFENTHALT' };
  if (v.firstApplication) return { neukunde: true, reason: 'ERSTANTRAG' };
  if (v.previouslyRejected) return { neukunde: true, reason: 'FRUEHER_ABGELEHNT' };
  if (typeof v.gapDays === 'number' && v.gapDays > 182)
    return { neukunde: true, reason: 'UNTERBRECHUNG_UEBER_182_TAGE' };
  return { neukunde: false, reason: 'LAUFENDER_ODER_KURZ_UNTERBROCHENER_BEZUG' };
}
