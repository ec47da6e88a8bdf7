/**
 * The demo's households against the API's own schemas and the jobcenter settings, on any day of the year: if
 * the API's body or events change, or a branch is renamed, this fails before `npm run demo` does. Also the
 * local token file the demo reads: owner-only, one token per role, and read back as written.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { ApplicationBody, EVENT_BODIES } from '../../../src/api/applications/schema.js';
import { loadJobcenters } from '../../../src/config/load.js';
import { readLocalTokenFile, writeLocalTokenFile } from '../../../src/config/local-token-file.js';
import { generateLocalTokens } from '../../../src/config/tokens.js';
import { type AppView, demoHouseholds } from '../../../tools/demo/households.js';

const { jobcenters } = loadJobcenters('processes');
const DAYS = ['2026-01-02', '2026-03-02', '2026-12-03', '2027-02-28', '2028-02-29'];

/** A case as the API shows it before any step: no BG number yet, every member with an open MDS deadline. */
function bookedView(members: { role: string }[]): AppView {
  const ids = members.map(() => randomUUID());
  return {
    id: randomUUID(),
    processInstanceId: randomUUID(),
    status: 'in-progress',
    bgNumber: null,
    members: members.map((m, i) => ({ personId: ids[i]!, role: m.role, kdNumber: `KD${i}` })),
    deadlines: ids.map((personId) => ({ kind: 'first-consultation', personId, dueDate: '2026-12-24', status: 'open' })),
  };
}

describe('demo households', () => {
  it.each(DAYS)('are valid applications for the API on %s, with known jobcenters and branches', (today) => {
    const households = demoHouseholds(today);
    expect(new Set(households.map((h) => h.key)).size).toBe(households.length);
    for (const h of households) {
      const parsed = ApplicationBody.safeParse(h.body);
      expect(parsed.success ? 'valid' : JSON.stringify(parsed.error.issues)).toBe('valid');
      expect(h.body.applicationDate <= today).toBe(true);
      const settings = jobcenters.get(h.body.jobcenter);
      expect(settings).toBeDefined();
      if (h.body.branch) expect(settings!.branches.map((b) => b.id)).toContain(h.body.branch);
    }
  });

  it('covers the households the walk-through promises: a family with a child under 15 and a 17-year-old, post with a postal date, online, an Aufstocker, Wuppertal approval', () => {
    const today = '2026-12-03';
    const households = demoHouseholds(today);
    const age = (birthDate: string) =>
      Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (today.slice(5) < birthDate.slice(5) ? 1 : 0);
    const ages = households.flatMap((h) => h.body.household.members.map((m) => age(m.birthDate)));
    expect(ages.some((a) => a < 15)).toBe(true);
    expect(ages).toContain(17);
    const post = households.find((h) => h.body.channel === 'POST')!;
    expect(post.body.applicationDate < today).toBe(true);
    expect(households.some((h) => h.body.channel === 'ONLINE')).toBe(true);
    expect(households.some((h) => h.body.flags.alg1Claim && h.body.flags.alg1Claim.endsOn > today)).toBe(true);
    expect(
      households.filter((h) => h.body.jobcenter === 'wuppertal').flatMap((h) => h.steps.map((s) => s.event)),
    ).toContain('approved-in-principle');
    // Some steps are done, some households are left entirely to staff.
    expect(households.some((h) => h.steps.length === 0)).toBe(true);
    expect(households.some((h) => h.steps.length > 0)).toBe(true);
  });

  it('sends each step with a body its event accepts, once the case is ready, and not again once done', () => {
    for (const h of demoHouseholds('2026-12-03')) {
      for (const step of h.steps) {
        const view = bookedView(h.body.household.members);
        const body = step.body(view);
        expect(body).toBeDefined();
        const parsed = EVENT_BODIES[step.event].safeParse(body);
        expect(parsed.success ? 'valid' : `${step.event}: ${JSON.stringify(parsed.error.issues)}`).toBe('valid');
        expect(step.done(view)).toBe(false);
      }
    }
    const consultation = demoHouseholds('2026-12-03')
      .flatMap((h) => h.steps)
      .find((s) => s.event === 'first-consultation-held')!;
    const view = bookedView([{ role: 'head' }, { role: 'member' }]);
    // Before the records exist there is nobody to report on.
    expect(consultation.body({ ...view, deadlines: [] })).toBeUndefined();
    expect(
      consultation.done({ ...view, deadlines: view.deadlines.map((d, i) => (i === 0 ? { ...d, status: 'met' } : d)) }),
    ).toBe(true);
    // The BG number is assigned after the ID check: a resumed run does not report it twice.
    const idCheck = demoHouseholds('2026-12-03')
      .flatMap((h) => h.steps)
      .find((s) => s.event === 'id-check-completed')!;
    expect(idCheck.done({ ...view, bgNumber: 'COTBG0000001' })).toBe(true);
  });
});

describe('local token file', () => {
  it('is written owner-only with one token per role and read back as written', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'demo-tokens-')), 'data');
    const tokens = generateLocalTokens();
    const file = writeLocalTokenFile(
      dir,
      {
        api: 'http://127.0.0.1:3000',
        cockpit: 'http://127.0.0.1:8080/operaton/app/cockpit/default/',
        tasklist: 'http://127.0.0.1:8080/operaton/app/tasklist/default/',
      },
      tokens,
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const read = readLocalTokenFile(dir)!;
    expect(read.api).toBe('http://127.0.0.1:3000');
    expect(Object.keys(read.tokens).sort()).toEqual([...tokens.values()].map((p) => p.roles.join('+')).sort());
    for (const [role, token] of Object.entries(read.tokens)) expect(tokens.get(token)?.roles.join('+')).toBe(role);
    expect(readLocalTokenFile(path.join(dir, 'elsewhere'))).toBeUndefined();
  });
});
