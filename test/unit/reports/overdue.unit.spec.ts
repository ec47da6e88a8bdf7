/** Overdue is the team's to-do list: past due, not held, nothing booked, whether the breach is recorded yet or not. */
import { describe, expect, it } from '@jest/globals';

import { isOverdue } from '../../../src/reports/mds.js';

const AS_OF = '2026-11-23';
const late = { due: '2026-11-20', held: false, booked: false };

describe('a deadline is overdue', () => {
  it('when it is past due, not held and nothing is booked, open or already breached', () => {
    expect(isOverdue({ ...late, status: 'open' }, AS_OF)).toBe(true);
    expect(isOverdue({ ...late, status: 'breached' }, AS_OF)).toBe(true);
  });

  it('not when an appointment is booked for it (a deputy booking), nor when it was held late', () => {
    expect(isOverdue({ ...late, status: 'breached', booked: true }, AS_OF)).toBe(false);
    expect(isOverdue({ ...late, status: 'breached', held: true }, AS_OF)).toBe(false);
  });

  it('not when it is due today or later, met, or not applicable', () => {
    expect(isOverdue({ ...late, status: 'open', due: AS_OF }, AS_OF)).toBe(false);
    expect(isOverdue({ ...late, status: 'met', held: true }, AS_OF)).toBe(false);
    expect(isOverdue({ ...late, status: 'not-applicable' }, AS_OF)).toBe(false);
  });
});
