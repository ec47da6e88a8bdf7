/**
 * The eAkte on our store: letters rendered as PDF with pdf-lib and kept in `documents` once per dedup key, so a
 * retried job finds the letter it wrote and never files a second one.
 */
import type { Kysely } from 'kysely';

import { ADDRESS_MISSING, type Letter, renderLetter } from '../../documents/letters.js';
import type { Database } from '../../store/index.js';
import type { AdapterContext } from '../index.js';
import type { EAkte } from './eakte.js';

/**
 * Files letters once each, in two statements for any number of them (the existing ones found, the missing ones
 * rendered and inserted together), and returns their ids in the given order. A letter filed meanwhile by a
 * concurrent delivery of the same job is found by a third.
 */
export async function fileLetters(db: Kysely<Database>, letters: Letter[]): Promise<string[]> {
  if (letters.length === 0) return [];
  const keys = letters.map((l) => l.dedupKey);
  const ids = new Map<string, string>();
  const remember = (rows: { dedup_key: string; id: string }[]) => rows.forEach((r) => ids.set(r.dedup_key, r.id));
  remember(await db.selectFrom('documents').select(['dedup_key', 'id']).where('dedup_key', 'in', keys).execute());
  const missing = letters.filter((l) => !ids.has(l.dedupKey));
  if (missing.length > 0) {
    const rows = await Promise.all(
      missing.map(async (letter) => ({
        jobcenter: letter.jobcenter,
        application_id: letter.applicationId,
        person_id: letter.personId ?? null,
        kind: letter.kind,
        // A letter without an address is filed, marked, and kept off the print list (its title says why).
        title: letter.frame && !letter.frame.addressee ? `${letter.title} – ${ADDRESS_MISSING}` : letter.title,
        media_type: 'application/pdf',
        content: await renderLetter(letter),
        dedup_key: letter.dedupKey,
        post_status: letter.post && letter.frame?.addressee !== null ? ('to-print' as const) : null,
      })),
    );
    remember(
      await db
        .insertInto('documents')
        .values(rows)
        .onConflict((oc) => oc.column('dedup_key').doNothing())
        .returning(['dedup_key', 'id'])
        .execute(),
    );
    const raced = keys.filter((k) => !ids.has(k));
    if (raced.length > 0)
      remember(await db.selectFrom('documents').select(['dedup_key', 'id']).where('dedup_key', 'in', raced).execute());
  }
  return keys.map((k) => {
    const id = ids.get(k);
    if (!id) throw new Error(`Letter ${k} was neither found nor filed`);
    return id;
  });
}

export async function fileLetter(db: Kysely<Database>, letter: Letter): Promise<string> {
  const [id] = await fileLetters(db, [letter]);
  return id!;
}

export class StoreEAkte implements EAkte {
  constructor(private readonly ctx: AdapterContext) {}

  fileLetters(letters: Letter[]) {
    return fileLetters(this.ctx.store.db, letters);
  }
}
