/** One line of the benchmark table and of bench/results/<date>.json. */
export interface Row {
  measure: string;
  value: number;
  unit: string;
  note?: string;
  /** Which engine stood behind the figure; set on every API row so an in-process answer is never read as the full path. */
  engine?: string;
}

export function row(measure: string, value: number, unit: string, extra: { note?: string; engine?: string } = {}): Row {
  return { measure, value: Math.round(value * 100) / 100, unit, ...extra };
}
