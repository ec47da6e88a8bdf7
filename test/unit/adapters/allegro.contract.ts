/**
 * What every ALLEGRO adapter must do, in ALLEGRO's terms, written once and run against each implementation:
 * `allegroContract('store', makeStoreAllegro)`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { Allegro } from '../../../src/adapters/index.js';

export interface AllegroUnderTest {
  allegro: Allegro;
  /**
   * A new application whose head of household has a customer record; with `headKdNumber`, the next application of
   * that head. Returns the application and the head's KD number.
   */
  newApplication(headKdNumber?: string): Promise<{ applicationId: string; headKdNumber: string }>;
  /** The application date in the application's case period, if one is recorded. */
  recordedApplicationDate(applicationId: string): Promise<string | undefined>;
  close(): Promise<void>;
}

export type MakeAllegro = () => Promise<AllegroUnderTest>;

export function allegroContract(name: string, make: MakeAllegro): void {
  describe(`ALLEGRO adapter contract: ${name}`, () => {
    let sut: AllegroUnderTest;
    beforeAll(async () => {
      sut = await make();
    }, 30_000);
    afterAll(async () => {
      await sut?.close();
    });

    it('knows no BG for an application not yet linked', async () => {
      const { applicationId } = await sut.newApplication();
      expect(await sut.allegro.bgNumberOf(applicationId)).toBeUndefined();
    });

    it('creates a BG for a head without one and links the application to it', async () => {
      const application = await sut.newApplication();
      const bgNumber = await sut.allegro.assignBgNumber(application);
      expect(bgNumber).toEqual(expect.any(String));
      expect(bgNumber).not.toBe('');
      expect(await sut.allegro.bgNumberOf(application.applicationId)).toBe(bgNumber);
    });

    it('returns the same BG number when asked again for the same head, also at the same time', async () => {
      const application = await sut.newApplication();
      const numbers = await Promise.all(Array.from({ length: 5 }, () => sut.allegro.assignBgNumber(application)));
      expect(new Set(numbers).size).toBe(1);
      expect(await sut.allegro.assignBgNumber(application)).toBe(numbers[0]);
    });

    it("gives the head's next application the head's BG", async () => {
      const first = await sut.newApplication();
      const bgNumber = await sut.allegro.assignBgNumber(first);
      const next = await sut.newApplication(first.headKdNumber);
      expect(await sut.allegro.assignBgNumber(next)).toBe(bgNumber);
      expect(await sut.allegro.bgNumberOf(next.applicationId)).toBe(bgNumber);
    });

    it('gives different heads different BG numbers, also when drawn at the same time', async () => {
      const applications = await Promise.all(Array.from({ length: 10 }, () => sut.newApplication()));
      const numbers = await Promise.all(applications.map((a) => sut.allegro.assignBgNumber(a)));
      expect(new Set(numbers).size).toBe(10);
    });

    it('records the application date once and never changes it', async () => {
      const application = await sut.newApplication();
      const bgNumber = await sut.allegro.assignBgNumber(application);
      const { applicationId } = application;
      expect(await sut.recordedApplicationDate(applicationId)).toBeUndefined();
      await sut.allegro.recordApplicationDate({ applicationId, bgNumber, applicationDate: '2026-11-23' });
      await sut.allegro.recordApplicationDate({ applicationId, bgNumber, applicationDate: '2026-11-23' });
      expect(await sut.recordedApplicationDate(applicationId)).toBe('2026-11-23');
      // A later, different date changes nothing: "Änderungen zum Antragsdatum sind in ALLEGRO nicht zulässig".
      await sut.allegro.recordApplicationDate({ applicationId, bgNumber, applicationDate: '2026-11-30' });
      expect(await sut.recordedApplicationDate(applicationId)).toBe('2026-11-23');
    });
  });
}
