/**
 * A store in memory for tests, started from one migrated copy of an empty embedded database instead of PGlite's
 * own setup and the migrations on every open. The copy lives under .data/test and is named after the migrations
 * and PGlite's version, so a changed migration or a PGlite upgrade makes a new one; the migrations still run on
 * open and find nothing to do.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { PGlite } from '@electric-sql/pglite';

import { openStore, type Store } from '../../src/store/index.js';

const MIGRATIONS_DIR = path.resolve('src/store/migrations');
const COPIES_DIR = path.resolve('.data/test/store-copies');

/** PGlite's package exports no package.json, so it is found above the package's entry. */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === '@electric-sql/pglite' && manifest.version) return manifest.version;
  }
  throw new Error(`No package.json of @electric-sql/pglite above ${entry}`);
}

function copyName(): string {
  const hash = createHash('sha256');
  hash.update(pgliteVersion());
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) {
    hash.update(file);
    hash.update(readFileSync(path.join(MIGRATIONS_DIR, file)));
  }
  return `migrated-${hash.digest('hex').slice(0, 16)}.tar`;
}

/** Migrates an empty database on disk and writes its copy; another test process may be doing the same. */
async function makeCopy(file: string): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'store-copy-'));
  try {
    const store = await openStore({ dataDir });
    await store.close();
    const pglite = await PGlite.create({ dataDir });
    const dump = await pglite.dumpDataDir('none');
    await pglite.close();
    mkdirSync(COPIES_DIR, { recursive: true });
    // Written aside and renamed, so that a reader never meets half a file.
    const partial = `${file}.${randomUUID()}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
    // Copies of earlier migrations are of no use any more (40 MB each).
    for (const old of readdirSync(COPIES_DIR))
      if (old.endsWith('.tar') && path.join(COPIES_DIR, old) !== file)
        rmSync(path.join(COPIES_DIR, old), { force: true });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The copy as a Blob, read once per test file: every store of the file starts from the same bytes. */
let copy: Promise<Blob> | undefined;

async function migratedCopy(): Promise<Blob> {
  const file = path.join(COPIES_DIR, copyName());
  if (!existsSync(file)) await makeCopy(file);
  return new Blob([readFileSync(file)]);
}

/** A migrated, empty store in memory; closing it discards it. */
export async function openMemoryStore(): Promise<Store> {
  copy ??= migratedCopy();
  return openStore({ initialData: await copy });
}
