/**
 * Text hygiene at the edge, for every field of every endpoint (fast-check): a NUL, another control character or an
 * unpaired surrogate in any string a client sends is refused with 400 naming the field, and nothing is written;
 * accepted text is stored NFC. The endpoints and their fields are read from the OpenAPI document (and the
 * dashboard's own schemas), so a new endpoint or field is covered without touching this file. Unit level: real
 * in-memory store and HTTP stack, the engine port faked and always accepting.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import fc from 'fast-check';
import { sql } from 'kysely';
import request from 'supertest';
import winston from 'winston';
import { z } from 'zod';

import { buildApp } from '../../../src/api/app.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import { tokenTable } from '../../../src/config/tokens.js';
import { DashboardParams, DashboardQuery } from '../../../src/dashboard/router.js';
import type { EngineGateway } from '../../../src/engine/gateway.js';
import { MULTILINE } from '../../../src/http/text-hygiene.js';
import { isValidator } from '../../../src/http/validate.js';
import type { Store } from '../../../src/store/index.js';
import { openMemoryStore } from '../../support/memory-store.js';

const engine: EngineGateway = {
  isReady: async () => true,
  startProcess: async () => '2251799813685001',
  completeUserTask: async () => 'completed',
  isWaitingAt: async () => true,
  evaluateDecision: async () => ({ neukunde: true, reason: 'ERSTANTRAG' }),
  correlateMessage: async () => 'completed' as const,
};
const ADMIN = { Authorization: 'Bearer admin-token-0123456789' };
/** Each property sends hundreds of requests through the real stack; a busy machine needs more than Jest's default. */
const GENERATED_MS = 120_000;

type Location = 'params' | 'query' | 'body' | 'headers';
/** One field of one endpoint a client can put a string into. */
interface Target {
  method: string;
  path: string;
  location: Location;
  field: (string | number)[];
  multiline: boolean;
}
/** The rest of a request the bad string is put into: valid where this file knows the endpoint. */
interface Example {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}
interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  [MULTILINE]?: boolean;
}
interface Operation {
  parameters?: { name: string; in: 'path' | 'query' | 'header'; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

let store: Store;
let app: Express;
let targets: Target[];
let examples: Record<string, Example>;
let countAll: string | undefined;

/** Every leaf of a JSON schema (the path of each field a value goes into), with its multi-line mark. */
function leaves(
  schema: JsonSchema | undefined,
  components: Record<string, JsonSchema>,
  path: (string | number)[] = [],
): { field: (string | number)[]; multiline: boolean }[] {
  if (!schema) return [{ field: path, multiline: false }];
  if (schema.$ref) return leaves(components[schema.$ref.split('/').at(-1)!], components, path);
  const alternatives = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])];
  if (alternatives.length) return alternatives.flatMap((s) => leaves(s, components, path));
  if (schema.properties && Object.keys(schema.properties).length)
    return Object.entries(schema.properties).flatMap(([k, s]) => leaves(s, components, [...path, k]));
  if (schema.items) return leaves(schema.items, components, [...path, 0]);
  return [{ field: path, multiline: schema[MULTILINE] === true }];
}

/** Every field of every operation of the OpenAPI document, plus the dashboard page (HTML, so not in the document). */
function targetsOf(doc: {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}): Target[] {
  const components = doc.components?.schemas ?? {};
  const found: Target[] = [];
  const where = { path: 'params', query: 'query', header: 'headers' } as const;
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      for (const p of op.parameters ?? [])
        found.push({ method, path, location: where[p.in], field: [p.name], multiline: p.schema?.[MULTILINE] === true });
      const body = op.requestBody?.content?.['application/json']?.schema;
      if (body) for (const leaf of leaves(body, components)) found.push({ method, path, location: 'body', ...leaf });
    }
  }
  const page = { method: 'get', path: '/dashboard/{jobcenter}' };
  for (const [location, schema] of [
    ['params', DashboardParams],
    ['query', DashboardQuery],
  ] as const)
    for (const leaf of leaves(z.toJSONSchema(schema, { io: 'input' }) as JsonSchema, {}))
      found.push({ ...page, location, ...leaf });
  // A field whose value is itself an object or array is covered through its leaves; dedupe what unions repeat.
  return [...new Map(found.map((t) => [JSON.stringify(t), t])).values()];
}

/** Sets `value` at `field` in a copy of `base`, making the objects and arrays on the way. */
function withField(base: unknown, field: (string | number)[], value: string): unknown {
  if (!field.length) return value;
  const [head, ...rest] = field;
  const copy: any = Array.isArray(base) ? [...base] : typeof base === 'object' && base !== null ? { ...base } : {};
  copy[head!] = withField(copy[head!], rest, value);
  return copy;
}

/** The request of an example, as a client would put it on the wire. */
function sendExample(method: string, path: string, ex: Example): request.Test {
  const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(ex.params?.[name] ?? 'x'));
  const qs = Object.entries(ex.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const req = (request(app) as unknown as Record<string, (url: string) => request.Test>)[method]!(
    qs ? `${url}?${qs}` : url,
  ).set(ADMIN);
  for (const [h, v] of Object.entries(ex.headers ?? {})) req.set(h, v);
  if (method === 'get') return req;
  return req.set('content-type', 'application/json').send(JSON.stringify(ex.body ?? {}));
}

/** The example of a target's endpoint (or an empty request) with `value` in the target's field. */
function send(t: Target, value: string): request.Test {
  const ex = examples[`${t.method} ${t.path}`] ?? {};
  return sendExample(t.method, t.path, { ...ex, [t.location]: withField(ex[t.location] ?? {}, t.field, value) });
}

/** Rows of every table of the store, in one query. */
async function rows(): Promise<Record<string, number>> {
  countAll ??= (
    await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = 'public' and table_name not like 'kysely%' order by table_name`.execute(store.db)
  ).rows
    .map((r) => `(select count(*) from "${r.table_name}")::int as "${r.table_name}"`)
    .join(', ');
  return (await sql<Record<string, number>>`select ${sql.raw(countAll)}`.execute(store.db)).rows[0]!;
}

// The strings a client can put on the wire in each place. Query strings and paths are percent-encoded UTF-8,
// which cannot carry an unpaired surrogate (it arrives as U+FFFD); header values are Latin-1, in which the
// client library lets only tab and C1 through among the control characters.
const code = (from: number, to: number) => fc.integer({ min: from, max: to }).map((c) => String.fromCharCode(c));
const c0 = (multiline: boolean) => code(0x00, 0x1f).filter((c) => !multiline || !['\t', '\n', '\r'].includes(c));
const controls = (multiline: boolean) => fc.oneof(c0(multiline), fc.constant('\x7f'), code(0x80, 0x9f));
const loneSurrogate = fc.oneof(code(0xd800, 0xdbff), code(0xdc00, 0xdfff));
const text = fc.string({ unit: 'grapheme', maxLength: 6 });
const ascii = fc.string({ maxLength: 6 });

function badString(t: Target): fc.Arbitrary<string> {
  if (t.location === 'headers')
    return fc
      .tuple(ascii, fc.oneof(code(0x80, 0x9f), fc.constant('\t')), ascii)
      .map(([a, bad, b]) => `k${a}${bad}${b}k`);
  const bad = t.location === 'body' ? fc.oneof(controls(t.multiline), loneSurrogate) : controls(t.multiline);
  return fc.tuple(text, bad, text).map(([a, b, c]) => a + b + c);
}

/** One request with a bad string in a target's field: 400 naming that field, and not one row more or less. */
async function refused(t: Target, value: string): Promise<void> {
  const before = await rows();
  const res = await send(t, value);
  const field = [t.location, ...t.field].join('.');
  if (res.status !== 400)
    throw new Error(`${t.method} ${t.path} ${field} ${JSON.stringify(value)}: ${res.status} ${res.text}`);
  expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(field);
  expect(await rows()).toEqual(before);
}

beforeAll(async () => {
  store = await openMemoryStore();
  const { jobcenters } = loadJobcenters('processes');
  app = buildApp({
    engine,
    store,
    calendars: calendarsFor(jobcenters),
    jobcenters,
    tokens: tokenTable({ 'admin-token-0123456789': ['ADMIN'] }),
    log: winston.createLogger({ silent: true }),
    now: () => new Date('2026-11-23T10:00:00+01:00'),
  });
  const application = (jobcenter: string) => ({
    jobcenter,
    channel: 'EZ',
    applicationDate: '2026-11-20',
    reason: 'Arbeitslosigkeit',
    habitualResidenceInGermany: true,
    household: {
      members: [{ givenName: 'Anna', familyName: 'Berg', birthDate: '1980-01-01', role: 'head', erwerbsfaehig: true }],
    },
    flags: { alg1Claim: { endsOn: '2027-02-28' } },
  });
  const known = async (jobcenter: string) => {
    const id = (await request(app).post('/api/v1/applications').set(ADMIN).send(application(jobcenter))).body
      .id as string;
    const personId = (await request(app).get(`/api/v1/applications/${id}`).set(ADMIN)).body.members[0]
      .personId as string;
    return { id, personId };
  };
  const cottbus = await known('cottbus');
  const wuppertal = await known('wuppertal');
  const event = (name: string, { id, personId }: { id: string; personId: string }, body: object, person = true) => ({
    [`post /api/v1/applications/{id}/events/${name}`]: { params: { id }, body: person ? { personId, ...body } : body },
  });
  examples = {
    'post /api/v1/applications': { body: application('cottbus'), headers: { 'idempotency-key': 'hygiene-1' } },
    'get /api/v1/applications': { query: { jobcenter: 'cottbus', status: 'in-progress', limit: '10', offset: '0' } },
    'get /api/v1/applications/{id}': { params: { id: cottbus.id } },
    'get /api/v1/calendar/due-date': { query: { jobcenter: 'cottbus', from: '2026-12-21', workingDays: '15' } },
    'get /api/v1/inbox': { query: { recipient: 'ifk-7', limit: '10' } },
    'get /api/v1/reports/mds': { query: { jobcenter: 'cottbus', from: '2026-11-01', to: '2026-11-30' } },
    'get /dashboard/{jobcenter}': { params: { jobcenter: 'cottbus' }, query: { asOf: '2026-11-23' } },
    ...event('id-check-completed', cottbus, { identityVerified: true, responsible: true }, false),
    ...event('arbeitspaket-received', cottbus, { receivedOn: '2026-11-23' }),
    ...event('documents-complete', cottbus, { completeOn: '2026-11-23' }, false),
    ...event('decision-issued', cottbus, { decidedOn: '2026-11-23' }, false),
    ...event('first-consultation-held', cottbus, {
      heldOn: '2026-11-30',
      profiling: true,
      kooperationsplan: true,
      consultationMode: 'phone',
      checklist: { u25Offer: true },
    }),
    ...event('approved-in-principle', wuppertal, { approvedOn: '2026-11-23', calculationProtocolRef: 'LMG-1' }, false),
    ...event('rejected', wuppertal, { rejectedOn: '2026-11-23' }, false),
    ...event('funding-requested', wuppertal, { kind: 'Bewerbungskosten', note: 'Zeile 1\nZeile 2' }),
    ...event('quer-held', wuppertal, {
      heldOn: '2026-11-30',
      fmgDatenAktualisiert: true,
      potenzialanalyse: true,
      integrationsprognose: 'BIS_12_MONATE',
      handlungsstrategie: true,
      sofortangebot: true,
      kooperationsplan: true,
      berufsabschluss: true,
      offenePunkteVorhanden: true,
      offenePunkte: 'Nachweis\tbis 2026-12-15',
      steuerungsempfehlung: 'VERBLEIB',
      beratungsvermerk: {
        grundAntragstellung: 'Arbeitslosigkeit',
        groesseBg: 1,
        drittstaatsangehoerig: true,
        aufenthaltsstatus: 'Niederlassungserlaubnis',
        ergebnisPotenzialanalyse: 'Stärken: Erfahrung\r\nIntegrationsprognose: bis 12 Monate',
        zielberuf: 'Lagerlogistik',
        gespraechszusammenfassung: 'Erstes Gespräch.\nKP in Textform übergeben.',
        weiteresVorgehen: 'Bewerbungen',
      },
    }),
  };
  targets = targetsOf((await request(app).get('/api/v1/openapi.json')).body);
}, 120_000); // an embedded PGlite and two recorded applications take a while on a busy machine

afterAll(async () => {
  await store.close();
});

describe('text hygiene at the edge', () => {
  it('finds the fields of every endpoint, the multi-line ones marked', () => {
    const key = (t: Target) => `${t.method} ${t.path} ${t.location}.${t.field.join('.')}`;
    const all = targets.map(key);
    expect(all).toEqual(
      expect.arrayContaining([
        'post /api/v1/applications body.household.members.0.givenName',
        'post /api/v1/applications body.reason',
        'post /api/v1/applications headers.idempotency-key',
        'get /api/v1/inbox query.recipient',
        'get /api/v1/applications/{id} params.id',
        'post /api/v1/applications/{id}/events/quer-held body.beratungsvermerk.gespraechszusammenfassung',
        'get /dashboard/{jobcenter} params.jobcenter',
      ]),
    );
    expect(targets.filter((t) => t.multiline).map(key)).toEqual(
      expect.arrayContaining(['post /api/v1/applications/{id}/events/funding-requested body.note']),
    );
    expect(targets.filter((t) => t.multiline && t.location !== 'body')).toEqual([]);
    expect(
      targets.filter((t) => t.multiline && ['givenName', 'reason', 'kind'].includes(String(t.field.at(-1)))),
    ).toEqual([]);
  });

  it(
    'refuses a control character or unpaired surrogate in every field with 400 naming it, writing nothing',
    async () => {
      // Every field once, each kind of bad string in turn, so none is left to chance...
      const kinds = ['\u0000', '\ud800', '\udc00', '\u0085', '\u007f', '\u001b', '\n'];
      for (const [i, t] of targets.entries()) {
        const usable = kinds.filter(
          (k) =>
            (t.location === 'body' || !/[\ud800-\udfff]/.test(k)) &&
            (t.location !== 'headers' || k === '\u0085') &&
            !(t.multiline && k === '\n'),
        );
        await refused(t, `Ann${usable[i % usable.length]}a`);
      }
      // ...then generated strings in generated fields.
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...targets).chain((t) => badString(t).map((value) => [t, value] as const)),
          async ([t, value]) => refused(t, value),
        ),
        { numRuns: 200 },
      );
    },
    GENERATED_MS,
  );

  it('refuses a bad string in a part of the request the route declares no schema for, and in a field name', async () => {
    const before = await rows();
    const query = await request(app).post('/api/v1/applications?note=a%00b').set(ADMIN).send({});
    expect(query.status).toBe(400);
    expect(query.body.issues).toContainEqual({
      path: 'query.note',
      message: 'must not contain control characters (U+0000 at index 1)',
    });
    const key = await request(app)
      .post('/api/v1/applications')
      .set(ADMIN)
      .send({ ...(examples['post /api/v1/applications']!.body as object), 'x\u0000': 1 });
    expect(key.status).toBe(400);
    expect(key.body.issues.map((i: { path: string }) => i.path)).toContain('body.x\\u0000');
    expect(await rows()).toEqual(before);
  });

  it('refuses a control character in the login form with 400, setting no cookie', async () => {
    const res = await request(app)
      .post('/dashboard/login')
      .type('form')
      .send({ token: 'admin-token-0123456789\u0000' });
    expect(res.status).toBe(400);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.text).toMatch(/body\.token/);
    expect((await request(app).get('/dashboard/login?next=%1B')).status).toBe(400);
  });

  it('takes a dashboard cookie that is not valid percent-encoding as no token (401), never a 500', async () => {
    const res = await request(app).get('/dashboard/cottbus').set('Cookie', 'jc_dashboard=%E0%A4%A');
    expect(res.status).toBe(401);
  });

  it('stores names NFC: a combining diaeresis becomes the precomposed letter', async () => {
    const body = structuredClone(examples['post /api/v1/applications']!.body) as any;
    body.household.members[0].familyName = 'Mu\u0308ller';
    body.reason = 'Zuzug nach Cottbus'; // another reason, so the idempotency key does not answer the earlier request
    const res = await request(app).post('/api/v1/applications').set(ADMIN).send(body);
    expect(res.status).toBe(201);
    const person = await store.db
      .selectFrom('persons')
      .select(['given_name', 'family_name'])
      .where('application_id', '=', res.body.id as string)
      .executeTakeFirstOrThrow();
    expect(person.family_name).toBe('M\u00fcller');
    expect(person.family_name).toHaveLength(6);
  });

  it('finds by NFC what is asked for in another normal form', async () => {
    await store.db
      .insertInto('notifications')
      .values({
        jobcenter: 'cottbus',
        dedup_key: 'hygiene-nfc-1',
        channel: 'inbox',
        recipient: 'J\u00fcrgen',
        cc: '[]',
        subject: 'Neuer Fall',
        body: 'x',
        links: '[]',
        attachments: '[]',
        application_id: null,
      })
      .execute();
    const res = await request(app)
      .get(`/api/v1/inbox?recipient=${encodeURIComponent('Ju\u0308rgen')}`)
      .set(ADMIN);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
  });

  it('accepts line breaks and tabs in multi-line text only', async () => {
    const example = examples['post /api/v1/applications/{id}/events/funding-requested']!;
    const url = `/api/v1/applications/${example.params!.id}/events/funding-requested`;
    const note = await request(app).post(url).set(ADMIN).send(example.body!);
    expect(note.status).toBe(202);
    const stored = await store.db
      .selectFrom('history_notes')
      .select('text')
      .where('application_id', '=', example.params!.id!)
      .where('text', 'like', 'Förderleistung%')
      .executeTakeFirstOrThrow();
    expect(stored.text).toContain('Zeile 1\nZeile 2');
    const kind = await request(app)
      .post(url)
      .set(ADMIN)
      .send({ ...(example.body as object), kind: 'Bewerbungs-\nkosten' });
    expect(kind.status).toBe(400);
    expect(kind.body.issues).toEqual([
      { path: 'body.kind', message: 'must be a single line: no line breaks or tabs (U+000A at index 11)' },
    ]);
  });

  it('puts the bad strings into valid requests, so each refusal above is the bad string and nothing else', async () => {
    const statuses: Record<string, number> = {};
    for (const [endpoint, ex] of Object.entries(examples)) {
      const [method, path] = endpoint.split(' ') as [string, string];
      statuses[endpoint] = (await sendExample(method, path, ex)).status;
    }
    expect(statuses).toEqual(
      Object.fromEntries(
        Object.keys(examples).map((e) => [e, e.startsWith('post') ? (e.includes('/events/') ? 202 : 201) : 200]),
      ),
    );
  });
});

describe('every route validates its input', () => {
  /** Routes that read no client text, or check it themselves; each with the reason. */
  const WITHOUT_VALIDATE: Record<string, string> = {
    'get /health': 'reads nothing from the request',
    'get /ready': 'reads nothing from the request',
    'get /metrics': 'reads nothing from the request',
    'get /api/v1/openapi.json': 'reads nothing from the request',
    'get /dashboard': 'reads only the token',
    'post /dashboard/logout': 'reads nothing from the request',
    'get /dashboard/login': 'an HTML form: runs cleanText itself and answers 400 as a page',
    'post /dashboard/login': 'an HTML form: runs cleanText itself and answers 400 as a page',
  };
  interface Layer {
    route?: { path: string; methods: Record<string, boolean>; stack: { handle: unknown }[] };
    handle?: { stack?: Layer[] };
  }
  const routesOf = (stack: Layer[]): { key: string; validates: boolean }[] =>
    stack.flatMap((layer) =>
      layer.route
        ? Object.keys(layer.route.methods).map((m) => ({
            key: `${m} ${layer.route!.path}`,
            validates: layer.route!.stack.some((l) => isValidator(l.handle)),
          }))
        : routesOf(layer.handle?.stack ?? []),
    );

  it('runs validate() (and so text hygiene) on every route but a few that read no client text', () => {
    const routes = routesOf((app as unknown as { router: { stack: Layer[] } }).router.stack);
    expect(routes.length).toBeGreaterThan(10);
    const unvalidated = routes.filter((r) => !r.validates).map((r) => r.key);
    expect(unvalidated.sort()).toEqual(Object.keys(WITHOUT_VALIDATE).sort());
  });
});
