/**
 * The jobcenters shipped in processes/ (and the test fixture's fourth) load without a problem and pass the start
 * check of their letter templates: a jobcenter is a folder, so whatever folders there are must all be sound.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import { checkLetterTemplates, LETTERS, templateFile } from '../../../src/documents/templates.js';
import { loadProcessFiles, readBpmn } from '../../../src/processes/load.js';

const FIXTURES = 'test/fixtures/jobcenters';
const foldersWithSettings = (root: string) =>
  readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(root, e.name, 'jobcenter.json')))
    .map((e) => e.name)
    .sort();

const shipped = loadJobcenters('processes');
const withFixture = loadJobcenters('processes', [FIXTURES]);

describe('the shipped jobcenter settings', () => {
  it('load without a problem, one jobcenter per folder with a jobcenter.json', () => {
    expect(shipped.problems).toEqual([]);
    expect([...shipped.jobcenters.keys()].sort()).toEqual(foldersWithSettings('processes'));
    expect([...shipped.jobcenters.keys()]).toEqual(expect.arrayContaining(['cottbus', 'leipzig', 'wuppertal']));
  });

  it('each run a process model that processes/ deploys', async () => {
    const summaries = await Promise.all(loadProcessFiles('processes').bpmn.map((f) => readBpmn(f)));
    const deployed = new Set(summaries.flatMap((s) => s.processIds));
    for (const jc of shipped.jobcenters.values())
      expect({ id: jc.id, runs: deployed.has(jc.processId) }).toEqual({ id: jc.id, runs: true });
  });

  it.each([...shipped.jobcenters.keys()])("%s's letter templates are its own and pass the start check", (id) => {
    const settings = shipped.jobcenters.get(id)!;
    for (const letter of Object.keys(LETTERS))
      expect(templateFile(settings, letter)).toBe(path.join('processes', id, 'letters', `${letter}.txt`));
    expect(checkLetterTemplates([settings])).toEqual([]);
  });

  it('name each team once across jobcenters, so a team group in the engine belongs to one jobcenter', () => {
    const teams = [...shipped.jobcenters.values()].flatMap((jc) => jc.teams.map((t) => t.id));
    expect(teams.filter((t, i) => teams.indexOf(t) !== i)).toEqual([]);
  });

  it('give Leipzig, in Saxony, Buß- und Bettag off, which Cottbus, in Brandenburg, works', () => {
    const calendars = calendarsFor(shipped.jobcenters);
    expect(shipped.jobcenters.get('leipzig')).toMatchObject({ state: 'SN', processId: 'neukunde-cottbus' });
    expect(calendars.of('leipzig')?.isWorkingDay('2026-11-18')).toBe(false);
    expect(calendars.of('cottbus')?.isWorkingDay('2026-11-18')).toBe(true);
  });
});

describe('the fixture jobcenter the integration tests add', () => {
  it('loads besides the shipped ones from its own folder, with its letters and its local holiday', () => {
    expect(withFixture.problems).toEqual([]);
    const erfurt = withFixture.jobcenters.get('erfurt')!;
    expect(erfurt).toMatchObject({ state: 'TH', processId: 'neukunde-cottbus', folder: path.join(FIXTURES, 'erfurt') });
    expect(withFixture.jobcenters.size).toBe(shipped.jobcenters.size + 1);
    expect(checkLetterTemplates([erfurt])).toEqual([]);
    const calendar = calendarsFor(withFixture.jobcenters).of('erfurt')!;
    expect(calendar.isWorkingDay('2028-06-13')).toBe(false);
    expect(calendar.isWorkingDay('2027-09-20')).toBe(false);
  });
});
