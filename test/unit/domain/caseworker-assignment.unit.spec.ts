import { describe, expect, it } from '@jest/globals';

import { JobcenterSettings } from '../../../src/config/jobcenter.js';
import { mainCaseworker } from '../../../src/domain/caseworker-assignment.js';

const settings = JobcenterSettings.parse({
  id: 'testburg',
  name: 'Testburg',
  state: 'BB',
  processId: 'p',
  teams: [
    { id: 'u25', name: 'U25', ageBand: 'U25' },
    { id: 'ue25', name: 'Ü25', ageBand: 'Ü25' },
  ],
  caseworkers: [
    { id: 'u1', name: 'A', email: 'u1@x.example', team: 'u25', surnameFrom: 'A', surnameTo: 'M' },
    { id: 'u2', name: 'B', email: 'u2@x.example', team: 'u25', surnameFrom: 'N', surnameTo: 'Z' },
    { id: 'o1', name: 'C', email: 'o1@x.example', team: 'ue25', surnameFrom: 'A', surnameTo: 'K' },
    { id: 'o2', name: 'D', email: 'o2@x.example', team: 'ue25', surnameFrom: 'L', surnameTo: 'Z' },
  ],
});

describe('main caseworker', () => {
  it.each([
    ['Müller', true, 'u1'],
    ['Neumann', true, 'u2'],
    ['Özdemir', false, 'o2'],
    ['Kühn', false, 'o1'],
    ['Zander', false, 'o2'],
  ])('%s (U25: %s) goes to %s', (surname, u25, id) => {
    expect(mainCaseworker(settings, surname, u25)?.id).toBe(id);
  });
});
