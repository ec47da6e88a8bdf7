/**
 * A jobcenter is added by its folder under processes/ alone, so no application code may single one out by its id:
 * what differs between jobcenters comes from their settings or the process model they run. This fails when a
 * string literal in src/ or workers/ is the id of a configured jobcenter (a comment naming one is fine).
 */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { loadJobcenters } from '../../../src/config/load.js';
import { filesUnder } from '../../../src/processes/load.js';

const ids = [...loadJobcenters('processes', ['test/fixtures/jobcenters']).jobcenters.keys()];
const SOURCES = ['src', 'workers'].flatMap((dir) => filesUnder(dir, '.ts'));

/** The source without its comments, so "neukunde-cottbus" in a doc line or an example token is no finding. */
const code = (file: string) =>
  readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');

describe('no code names a jobcenter', () => {
  it('knows the jobcenters to look for and the files to look in', () => {
    expect(ids).toEqual(expect.arrayContaining(['cottbus', 'wuppertal', 'leipzig', 'erfurt']));
    expect(SOURCES.length).toBeGreaterThan(100);
  });

  it.each(SOURCES)('%s has no jobcenter id as a string literal', (file) => {
    const text = code(file);
    const found = ids.filter((id) => new RegExp(`(['"\`])${id}\\1`).test(text));
    expect(found).toEqual([]);
  });

  it('would find one', () => {
    expect(ids.filter((id) => new RegExp(`(['"\`])${id}\\1`).test(`if (jobcenter === 'cottbus') return;`))).toEqual([
      'cottbus',
    ]);
  });
});
