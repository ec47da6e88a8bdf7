/**
 * What every FMG.job adapter must do, in FMG.job's terms, written once and run against each implementation:
 * `fmgContract('store', makeStoreFmg)`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { Fmg, PersonCase } from '../../../src/adapters/index.js';

export interface FmgUnderTest {
  fmg: Fmg;
  /** A new application with one person, as the system needs it to hold the person's case. */
  newCase(): Promise<PersonCase>;
  /** Who holds the person's case now; null before anybody. */
  caseholder(c: PersonCase): Promise<string | null>;
  /** The person's FMG.job entries by kind. */
  entries(c: PersonCase): Promise<Record<string, { value: string; validFrom: string | null; recordedBy: string }>>;
  close(): Promise<void>;
}

export type MakeFmg = () => Promise<FmgUnderTest>;

export function fmgContract(name: string, make: MakeFmg): void {
  describe(`FMG.job adapter contract: ${name}`, () => {
    let sut: FmgUnderTest;
    beforeAll(async () => {
      sut = await make();
    }, 30_000);
    afterAll(async () => {
      await sut?.close();
    });

    it('puts a case on the virtual worker once; no IFK is responsible yet', async () => {
      const c = await sut.newCase();
      await sut.fmg.assignVirtualWorker({ ...c, virtualWorkerId: 'vm-barmen' });
      await sut.fmg.assignVirtualWorker({ ...c, virtualWorkerId: 'vm-barmen' });
      expect(await sut.caseholder(c)).toBe('vm-barmen');
      expect(await sut.fmg.responsibleIfk(c)).toBeUndefined();
    });

    it('reassigns the case from the virtual worker to the IFK once: the first IFK stays', async () => {
      const c = await sut.newCase();
      await sut.fmg.assignVirtualWorker({ ...c, virtualWorkerId: 'vm-barmen' });
      await sut.fmg.reassignFromVirtualWorker({ ...c, ifkId: 'ifk-a' });
      await sut.fmg.reassignFromVirtualWorker({ ...c, ifkId: 'ifk-b' });
      expect(await sut.caseholder(c)).toBe('ifk-a');
      expect(await sut.fmg.responsibleIfk(c)).toBe('ifk-a');
      // A repeated earlier step does not take the case back to the virtual worker.
      await sut.fmg.assignVirtualWorker({ ...c, virtualWorkerId: 'vm-barmen' });
      expect(await sut.caseholder(c)).toBe('ifk-a');
    });

    it('records the Kundensteuerung; a later result replaces the earlier', async () => {
      const c = await sut.newCase();
      await sut.fmg.recordRouting({ ...c, routing: 'START_KLAR' });
      await sut.fmg.recordRouting({ ...c, routing: 'REHA_SB' });
      expect((await sut.entries(c)).kundensteuerung?.value).toBe('REHA_SB');
    });

    it('moves the case to the special team once per routing', async () => {
      const c = await sut.newCase();
      await sut.fmg.reassignFromVirtualWorker({ ...c, ifkId: 'ifk-a' });
      await sut.fmg.assignSpecialTeam({ ...c, routing: 'START_KLAR', caseworkerId: 'sk-1' });
      await sut.fmg.assignSpecialTeam({ ...c, routing: 'START_KLAR', caseworkerId: 'sk-2' });
      expect(await sut.caseholder(c)).toBe('sk-1');
    });

    it('sets the statistics entries once: an entry set before keeps its value and date', async () => {
      const c = await sut.newCase();
      await sut.fmg.setStatisticsEntries({
        ...c,
        recordedBy: 'fifk-1',
        entries: [{ kind: 'kundenstatus', value: 'Antrag', validFrom: '2026-11-23' }],
      });
      await sut.fmg.setStatisticsEntries({
        ...c,
        recordedBy: 'fifk-2',
        entries: [
          { kind: 'kundenstatus', value: 'Antrag', validFrom: '2026-11-30' },
          { kind: 'bael-alo', value: 'ALO', validFrom: '2026-12-01' },
        ],
      });
      expect(await sut.entries(c)).toEqual({
        kundenstatus: { value: 'Antrag', validFrom: '2026-11-23', recordedBy: 'fifk-1' },
        'bael-alo': { value: 'ALO', validFrom: '2026-12-01', recordedBy: 'fifk-2' },
      });
    });
  });
}
