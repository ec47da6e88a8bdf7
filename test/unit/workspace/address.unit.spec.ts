/** The household's address in the workspace's case view: shown, entered and corrected with the API's rules, audited, one jobcenter only. */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';

import type { Store } from '../../../src/store/index.js';
import { seedCase, type SeededCase, workspaceApp } from './fixture.js';

jest.setTimeout(60_000);

let app: Express;
let store: Store;
let mueller: SeededCase;
let weber: SeededCase;

beforeAll(async () => {
  let staff;
  ({ app, store, staff } = await workspaceApp());
  staff.accounts.set('ez', { password: 'richtig', groups: ['EZ', 'jobcenter-cottbus'] });
  mueller = await seedCase(store, { jobcenter: 'cottbus', head: ['Anna', 'Müller'] });
  weber = await seedCase(store, { jobcenter: 'wuppertal', head: ['Dora', 'Weber'] });
});
afterAll(async () => {
  await store.close();
});

async function loggedIn() {
  const agent = request.agent(app);
  expect(
    (await agent.post('/arbeitsplatz/anmelden').type('form').send({ benutzer: 'ez', passwort: 'richtig' })).status,
  ).toBe(303);
  return agent;
}
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const stored = (id: string) =>
  store.db.selectFrom('application_addresses').selectAll().where('application_id', '=', id).executeTakeFirst();

describe('the address in the case view', () => {
  it('says when there is none, and offers the form', async () => {
    const page = await (await loggedIn()).get(`/arbeitsplatz/neukunden/${mueller.id}`);
    expect(page.text).toContain('Keine Anschrift erfasst');
    expect(page.text).toContain(`action="/arbeitsplatz/neukunden/${mueller.id}/anschrift"`);
  });

  it('refuses a bad postcode and an empty street naming both fields in German, and writes nothing', async () => {
    const agent = await loggedIn();
    const csrf = csrfOf((await agent.get(`/arbeitsplatz/neukunden/${mueller.id}`)).text);
    const res = await agent
      .post(`/arbeitsplatz/neukunden/${mueller.id}/anschrift`)
      .type('form')
      .send({ _csrf: csrf, strasse: ' ', plz: '0304', ort: 'Cottbus' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Die Anschrift wurde nicht gespeichert');
    expect(res.text).toContain('Postleitzahl muss aus 5 Ziffern bestehen');
    expect(res.text).toContain('Straße und Hausnummer darf nicht leer sein');
    expect(res.text).toContain('value="0304"');
    expect(await stored(mueller.id)).toBeUndefined();
  });

  it('saves the address and a mailing address, shows them, and writes the audit trail', async () => {
    const agent = await loggedIn();
    const csrf = csrfOf((await agent.get(`/arbeitsplatz/neukunden/${mueller.id}`)).text);
    const res = await agent.post(`/arbeitsplatz/neukunden/${mueller.id}/anschrift`).type('form').send({
      _csrf: csrf,
      anrede: 'Frau',
      strasse: 'Lindenstraße 12',
      plz: '03046',
      ort: 'Cottbus',
      post_strasse: 'Postfach 10 11 12',
      post_plz: '03001',
      post_ort: 'Cottbus',
    });
    expect(res.status).toBe(303);
    expect(await stored(mueller.id)).toMatchObject({
      salutation: 'Frau',
      street: 'Lindenstraße 12',
      postcode: '03046',
      mailing_street: 'Postfach 10 11 12',
    });
    const page = await agent.get(res.headers.location!);
    expect(page.text).toContain('Die Anschrift ist gespeichert.');
    expect(page.text).toContain('Lindenstraße 12<br>03046 Cottbus');
    expect(page.text).toContain('Postanschrift:<br>Postfach 10 11 12<br>03001 Cottbus');
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('application_id', '=', mueller.id)
      .where('action', '=', 'workspace.address.save')
      .execute();
    expect(audit).toEqual([{ actor: 'user:ez', action: 'workspace.address.save' }]);

    // A correction replaces it.
    await agent
      .post(`/arbeitsplatz/neukunden/${mueller.id}/anschrift`)
      .type('form')
      .send({ _csrf: csrf, strasse: 'Am Markt 3', plz: '03046', ort: 'Cottbus' });
    expect(await stored(mueller.id)).toMatchObject({ street: 'Am Markt 3', salutation: null, mailing_street: null });
  });

  it("needs the form's token, and finds no case of another jobcenter", async () => {
    const agent = await loggedIn();
    const csrf = csrfOf((await agent.get(`/arbeitsplatz/neukunden/${mueller.id}`)).text);
    expect(
      (
        await agent
          .post(`/arbeitsplatz/neukunden/${mueller.id}/anschrift`)
          .type('form')
          .send({ strasse: 'X 1', plz: '03046', ort: 'Cottbus' })
      ).status,
    ).toBe(403);
    const other = await agent
      .post(`/arbeitsplatz/neukunden/${weber.id}/anschrift`)
      .type('form')
      .send({ _csrf: csrf, strasse: 'X 1', plz: '42103', ort: 'Wuppertal' });
    expect(other.status).toBe(404);
    expect(await stored(weber.id)).toBeUndefined();
  });
});
