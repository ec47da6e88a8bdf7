/** `--only` on the command line: the patterns it names, and each mistake named as a configuration error. */
import { describe, expect, it } from '@jest/globals';

import { parseOnly } from '../../../src/config/cli-args.js';
import { ConfigError } from '../../../src/config/load.js';

const problemOf = (args: string[]) => {
  try {
    parseOnly(args);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error(`no error for ${JSON.stringify(args)}`);
};

describe('parseOnly', () => {
  it('reads comma-separated topic patterns, after a space or an equals sign, and from a repeated --only', () => {
    expect(parseOnly([])).toBeUndefined();
    expect(parseOnly(['--only', 'allegro.*'])).toEqual(['allegro.*']);
    expect(parseOnly(['--only=allegro.*, notify.send,'])).toEqual(['allegro.*', 'notify.send']);
    expect(parseOnly(['--only', 'allegro.*', '--only', 'notify.send'])).toEqual(['allegro.*', 'notify.send']);
  });

  it('says --only needs a pattern when none follows, or an option stands in its place', () => {
    for (const args of [['--only'], ['--only', ''], ['--only='], ['--only', '--verbose']])
      expect(problemOf(args)).toEqual(['--only needs a pattern, e.g. --only "allegro.*"']);
  });

  it('names an unknown option and a stray argument instead of ignoring them', () => {
    expect(problemOf(['--onyl', 'allegro.*'])).toEqual([
      'unknown option "--onyl" (known: --only, e.g. --only "allegro.*")',
    ]);
    expect(problemOf(['-o', 'allegro.*'])).toEqual(['unknown option "-o" (known: --only, e.g. --only "allegro.*")']);
    expect(problemOf(['allegro.*'])).toEqual([
      'unexpected argument "allegro.*": name topic patterns with --only, e.g. --only "allegro.*"',
    ]);
  });
});
