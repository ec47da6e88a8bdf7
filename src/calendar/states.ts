/** The sixteen German states, by the codes date-holidays uses for them. */
export const GERMAN_STATES = [
  'BW',
  'BY',
  'BE',
  'BB',
  'HB',
  'HH',
  'HE',
  'MV',
  'NI',
  'NW',
  'RP',
  'SL',
  'SN',
  'ST',
  'SH',
  'TH',
] as const;
export type GermanState = (typeof GERMAN_STATES)[number];

export function isGermanState(s: unknown): s is GermanState {
  return typeof s === 'string' && (GERMAN_STATES as readonly string[]).includes(s);
}
