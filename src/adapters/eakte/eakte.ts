/**
 * eAkte: the electronic file. Letters are filed as PDF documents, once per dedup key. `store-eakte.ts` keeps them
 * in our store; a connector implements the same.
 */
import type { Letter } from '../../documents/letters.js';

export type { Letter };

export interface EAkte {
  /**
   * Files each letter once: a letter whose dedup key is filed already is not filed again. Returns the documents'
   * ids in the order of the letters, the earlier document's id for a letter filed before.
   */
  fileLetters(letters: Letter[]): Promise<string[]>;
}

/** Files one letter (see EAkte.fileLetters) and returns its document id. */
export async function fileLetter(eakte: EAkte, letter: Letter): Promise<string> {
  const [id] = await eakte.fileLetters([letter]);
  if (!id) throw new Error(`The eAkte returned no document for ${letter.dedupKey}`);
  return id;
}
