/** The MDS report as CSV: semicolons and CRLF as before, and fields that would break a row quoted. */
import { describe, expect, it } from '@jest/globals';

import { type Counts, mdsCsv, type MdsReport } from '../../../src/reports/mds.js';

const counts = (c: Partial<Counts> = {}): Counts => ({
  due: 1,
  met: 0,
  breached: 0,
  open: 1,
  overdue: 0,
  dueSoon: 0,
  notApplicable: 0,
  metRate: null,
  ...c,
});
const report = (r: Partial<MdsReport> = {}): MdsReport => ({
  jobcenter: 'cottbus',
  from: '2026-11-01',
  to: '2026-12-31',
  asOf: '2026-11-23',
  kinds: [],
  byTeam: [],
  byCaseworker: [],
  ...r,
});
const HEADER = 'group;key;due;met;breached;open;overdue;dueSoon;notApplicable;metRate';

describe('mdsCsv', () => {
  it('writes a header and a row per kind, team and caseworker, an undecided met rate left empty', () => {
    const csv = mdsCsv(
      report({
        kinds: [
          {
            kind: 'first-consultation',
            ...counts({ due: 4, met: 1, breached: 1, open: 2, overdue: 1, dueSoon: 1, notApplicable: 1, metRate: 0.5 }),
          },
        ],
        byTeam: [{ team: null, ...counts() }],
        byCaseworker: [{ caseworkerId: 'av-1', ...counts() }],
      }),
    );
    expect(csv).toBe(
      [
        HEADER,
        'kind;first-consultation;4;1;1;2;1;1;1;0.5',
        'team;;1;0;0;1;0;0;0;',
        'caseworker;av-1;1;0;0;1;0;0;0;',
      ].join('\r\n'),
    );
    expect(mdsCsv(report())).toBe(HEADER);
  });

  it('quotes a key holding the separator, a quote or a line break, doubling the quote', () => {
    const csv = mdsCsv(
      report({
        byTeam: [
          { team: 'Nord; "U25"\nStandort 2', ...counts() },
          { team: 'Süd\rAußenstelle', ...counts() },
        ],
      }),
    );
    expect(csv.split('\r\n')).toEqual([
      HEADER,
      'team;"Nord; ""U25""\nStandort 2";1;0;0;1;0;0;0;',
      'team;"Süd\rAußenstelle";1;0;0;1;0;0;0;',
    ]);
  });
});
