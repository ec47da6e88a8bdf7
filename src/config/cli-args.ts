/** The options after the command of `src/cli.ts`: `--only 'allegro.*,notify.send'` picks the workers to run. */
import { parseArgs } from 'node:util';

import { ConfigError } from './load.js';

const EXAMPLE = '--only "allegro.*"';

/**
 * The topic patterns of `--only` (comma-separated; the option may repeat), or undefined without it. Node's
 * parseArgs splits the arguments (`--only x`, `--only=x`); the checks are ours, so that each mistake is named in
 * the words of the other configuration errors: an unknown option, a stray argument (`workers allegro.*` without
 * --only would otherwise start every worker), or --only without a pattern (also when an option follows in its place).
 */
export function parseOnly(args: string[]): string[] | undefined {
  const { tokens } = parseArgs({
    args,
    options: { only: { type: 'string', multiple: true } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  let patterns: string[] | undefined;
  for (const t of tokens) {
    if (t.kind === 'positional')
      throw new ConfigError([`unexpected argument "${t.value}": name topic patterns with --only, e.g. ${EXAMPLE}`]);
    if (t.kind !== 'option') continue;
    if (t.name !== 'only') throw new ConfigError([`unknown option "${t.rawName}" (known: --only, e.g. ${EXAMPLE})`]);
    if (!t.value || (!t.inlineValue && t.value.startsWith('-')))
      throw new ConfigError([`--only needs a pattern, e.g. ${EXAMPLE}`]);
    patterns = [
      ...(patterns ?? []),
      ...t.value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ];
  }
  return patterns;
}
