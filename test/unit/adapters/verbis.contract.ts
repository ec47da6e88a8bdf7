/**
 * What every VerBIS adapter must do, in VerBIS's terms, written once and run against each implementation:
 * `verbisContract('store', makeStoreVerbis)`.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { CustomerRecord, Verbis } from '../../../src/adapters/index.js';

export interface Person {
  givenName: string;
  familyName: string;
  birthDate: string;
}

export interface VerbisUnderTest {
  verbis: Verbis;
  /** A main caseworker of the jobcenter, to put on the records. */
  caseworker: { id: string; team: string };
  /** A new application with these people, as the system needs them for their records and notes. */
  newApplication(people: Person[]): Promise<{ applicationId: string; personIds: string[] }>;
  /** The tasks laid for the front desk about the application's people, one per task (any text). */
  frontDeskTasks(applicationId: string): Promise<string[]>;
  /** The history notes of the application, in any order. */
  historyNotes(applicationId: string): Promise<{ personId: string | null; text: string }[]>;
  close(): Promise<void>;
}

export type MakeVerbis = () => Promise<VerbisUnderTest>;

/** Somebody no other test of the suite is. */
function somebody(birthDate = '1985-05-05'): Person {
  return { givenName: 'Kim', familyName: `Muster-${randomUUID().slice(0, 8)}`, birthDate };
}

export function verbisContract(name: string, make: MakeVerbis): void {
  describe(`VerBIS adapter contract: ${name}`, () => {
    let sut: VerbisUnderTest;
    beforeAll(async () => {
      sut = await make();
    }, 30_000);
    afterAll(async () => {
      await sut?.close();
    });

    /** The records to create for an application's people, all with the suite's caseworker. */
    async function application(people: Person[]) {
      const { applicationId, personIds } = await sut.newApplication(people);
      const customers: CustomerRecord[] = people.map((p, i) => ({
        ...p,
        personId: personIds[i]!,
        caseworker: sut.caseworker,
      }));
      return { applicationId, personIds, customers };
    }

    it('creates a customer record with its own KD number for every person', async () => {
      const { applicationId, personIds, customers } = await application([somebody(), somebody('2008-01-20')]);
      const kdNumbers = await sut.verbis.upsertCustomers({ applicationId, aufstocker: false, customers });
      expect(Object.keys(kdNumbers).sort()).toEqual([...personIds].sort());
      expect(new Set(Object.values(kdNumbers)).size).toBe(2);
      expect(await sut.frontDeskTasks(applicationId)).toEqual([]);
    });

    it('returns the same KD numbers when asked again, also at the same time', async () => {
      const { applicationId, customers } = await application([somebody()]);
      const request = { applicationId, aufstocker: false, customers };
      const results = await Promise.all(Array.from({ length: 5 }, () => sut.verbis.upsertCustomers(request)));
      for (const r of results) expect(r).toEqual(results[0]);
      expect(await sut.verbis.upsertCustomers(request)).toEqual(results[0]);
    });

    it('reactivates the record of a person who applies again, with the same KD number', async () => {
      const person = somebody();
      const first = await application([person]);
      const before = await sut.verbis.upsertCustomers({ ...first, aufstocker: false });
      const again = await application([person]);
      const after = await sut.verbis.upsertCustomers({ ...again, aufstocker: false });
      expect(after[again.personIds[0]!]).toBe(before[first.personIds[0]!]);
    });

    it('tells different people with the same name apart by their birth date', async () => {
      const person = somebody('1970-01-01');
      const { applicationId, personIds, customers } = await application([
        person,
        { ...person, birthDate: '1999-09-09' },
      ]);
      const kdNumbers = await sut.verbis.upsertCustomers({ applicationId, aufstocker: false, customers });
      expect(kdNumbers[personIds[0]!]).not.toBe(kdNumbers[personIds[1]!]);
    });

    it('lays one front-desk task per Aufstocker, and no second one when asked again', async () => {
      const { applicationId, customers } = await application([somebody(), somebody()]);
      const request = { applicationId, aufstocker: true, customers };
      await sut.verbis.upsertCustomers(request);
      await sut.verbis.upsertCustomers(request);
      expect(await sut.frontDeskTasks(applicationId)).toHaveLength(2);
    });

    it('writes a history note once per key and returns its id', async () => {
      const { applicationId, personIds } = await sut.newApplication([somebody()]);
      const note = {
        applicationId,
        personId: null,
        text: 'Antragsausgabe SGB II.',
        dedupKey: `${applicationId}:ausgabe`,
      };
      const id = await sut.verbis.writeHistoryNote(note);
      expect(await sut.verbis.writeHistoryNote({ ...note, text: 'Wiederholt.' })).toBe(id);
      const other = await sut.verbis.writeHistoryNote({
        applicationId,
        personId: personIds[0]!,
        text: 'Telefonisch eingeladen.',
        dedupKey: `${applicationId}:telefon`,
      });
      expect(other).not.toBe(id);
      const notes = await sut.historyNotes(applicationId);
      expect(notes.sort((a, b) => a.text.localeCompare(b.text))).toEqual([
        { personId: null, text: 'Antragsausgabe SGB II.' },
        { personId: personIds[0], text: 'Telefonisch eingeladen.' },
      ]);
    });
  });
}
