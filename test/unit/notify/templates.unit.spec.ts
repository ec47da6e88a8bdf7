import { describe, expect, it } from '@jest/globals';

import { render } from '../../../src/notify/templates.js';

describe('notification templates', () => {
  const applicationId = '6d637584-fd07-4036-a9a3-9afcef8aa0c9';

  it('name the case by its Vorgangsnummer, as staff search for it', () => {
    const m = render('mds-breach', { applicationId, caseNumber: 'CO-2026-00005', mdsDueDate: '2026-11-30' });
    expect(m.subject).toBe('MDS verfehlt: Erstberatung nicht bis 30.11.2026 (Vorgang CO-2026-00005)');
    expect(render('decision-reminder', { applicationId, caseNumber: 'CO-2026-00005' }).subject).toContain(
      '(Vorgang CO-2026-00005)',
    );
  });

  it('give the customer number beside it once there is one, and the application id for an older instance', () => {
    expect(
      render('mds-reminder', { applicationId, caseNumber: 'CO-2026-00005', kdNumber: '123D456789' }).subject,
    ).toContain('(Kunde 123D456789, Vorgang CO-2026-00005)');
    expect(render('mds-reminder', { applicationId }).subject).toContain(`(Antrag ${applicationId})`);
  });
});
