/**
 * What every eAkte adapter must do, written once and run against each implementation:
 * `eakteContract('store', makeStoreEAkte)`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type EAkte, fileLetter, type Letter } from '../../../src/adapters/index.js';

export interface EAkteUnderTest {
  eakte: EAkte;
  jobcenter: string;
  /** A new application, as the system needs it to file letters into its file. */
  newApplication(): Promise<string>;
  /** The documents in the application's file: kind, title and media type, in any order. */
  documents(applicationId: string): Promise<{ kind: string; title: string; mediaType: string }[]>;
  close(): Promise<void>;
}

export type MakeEAkte = () => Promise<EAkteUnderTest>;

export function eakteContract(name: string, make: MakeEAkte): void {
  describe(`eAkte adapter contract: ${name}`, () => {
    let sut: EAkteUnderTest;
    beforeAll(async () => {
      sut = await make();
    }, 30_000);
    afterAll(async () => {
      await sut?.close();
    });

    const letter = (applicationId: string, kind: string): Letter => ({
      jobcenter: sut.jobcenter,
      applicationId,
      kind,
      title: `Brief ${kind}`,
      paragraphs: [`Sehr geehrte Damen und Herren, ${kind}.`],
      dedupKey: `${applicationId}:${kind}`,
    });

    it('files each letter as a PDF document and returns the ids in the order of the letters', async () => {
      const applicationId = await sut.newApplication();
      const ids = await sut.eakte.fileLetters([letter(applicationId, 'b'), letter(applicationId, 'a')]);
      expect(ids).toHaveLength(2);
      expect(new Set(ids).size).toBe(2);
      const documents = await sut.documents(applicationId);
      expect(documents.sort((x, y) => x.kind.localeCompare(y.kind))).toEqual([
        { kind: 'a', title: 'Brief a', mediaType: 'application/pdf' },
        { kind: 'b', title: 'Brief b', mediaType: 'application/pdf' },
      ]);
    });

    it('files a letter once: filed again, also at the same time, it returns the first document', async () => {
      const applicationId = await sut.newApplication();
      const first = await fileLetter(sut.eakte, letter(applicationId, 'einladung'));
      const again = await Promise.all(
        Array.from({ length: 3 }, () =>
          sut.eakte.fileLetters([letter(applicationId, 'merkblatt'), letter(applicationId, 'einladung')]),
        ),
      );
      for (const ids of again) expect(ids).toEqual([again[0]![0], first]);
      expect(await sut.documents(applicationId)).toHaveLength(2);
    });

    it('files nothing for no letters', async () => {
      expect(await sut.eakte.fileLetters([])).toEqual([]);
    });
  });
}
