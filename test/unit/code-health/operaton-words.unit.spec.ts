/**
 * Operaton's words, not Zeebe's: external task, topic, activity id, process instance id. A newcomer who knows
 * Camunda 7 should read one engine's vocabulary; this fails when the other one comes back.
 */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { filesUnder } from '../../../src/processes/load.js';

const FORBIDDEN: readonly RegExp[] = [
  /zeebe/i,
  /\bjobTypes?\b/,
  /\bprocessInstanceKey\b/,
  /\belementId\b/,
  /\bJobInfo\b/,
  /\brunJob\b/,
];

/** The places that must spell a forbidden word, each with its reason. */
const ALLOWED: Readonly<Record<string, string>> = {
  'test/unit/code-health/operaton-words.unit.spec.ts': 'this list',
  'src/api/applications/deprecated-alias.ts': "the API's deprecated processInstanceKey alias, one version",
  'test/unit/docker-compose.unit.spec.ts': 'asserts that no Zeebe image is used',
  'test/unit/config/config.unit.spec.ts': 'asserts that no Zeebe setting is offered',
};

/** Lines that may name a forbidden word: the README tells clients about the deprecated alias. */
const ALLOWED_LINES: Readonly<Record<string, RegExp>> = { 'README.md': /deprecated/i };

const SCANNED = ['src', 'workers', 'test', 'bench', 'tools', 'docs'].flatMap((dir) =>
  ['.ts', '.mjs', '.md', '.js'].flatMap((ext) => filesUnder(dir, ext)),
);

describe("the code speaks Operaton's words", () => {
  it('scans the source, tests, tools and docs', () => {
    expect(SCANNED.length).toBeGreaterThan(200);
  });

  it.each([...SCANNED, 'README.md', 'ARCHITECTURE.md'])('%s uses none of Zeebe’s words', (file) => {
    if (ALLOWED[file]) return;
    const hits = readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) =>
        (ALLOWED_LINES[file]?.test(line) ? [] : FORBIDDEN)
          .filter((word) => word.test(line))
          .map((word) => `${file}:${i + 1} ${word.source}`),
      );
    expect(hits).toEqual([]);
  });

  it('finds a forbidden word when one is there', () => {
    const line = 'const job = { processInstanceKey: 1 };';
    expect(FORBIDDEN.some((word) => word.test(line))).toBe(true);
  });
});
