/**
 * The rules of a Camunda Form, checked again on the server when the workspace completes a task: a browser can
 * send anything, and whatever passes becomes a process variable. One validator per form, built from the form's
 * JSON as the engine deployed it: field keys and types, required fields, length limits and patterns, and fields a
 * FEEL condition hides (evaluated with feelin, the interpreter form-js itself uses, so browser and server agree).
 * Where the API has an event for the same task, the values must also pass that event's schema after the mapping
 * events.ts applies, so the workspace cannot accept what the API would refuse.
 */
import { createHash } from 'node:crypto';

import { evaluate } from '@bpmn-io/feelin';
import { z } from 'zod';

import { cottbusAction, wuppertalAction } from '../api/applications/events.js';
import { EVENT_BODIES, type EventName, FIRST_CONSULTATION_CHECKBOXES } from '../api/applications/schema.js';
import { IsoDate } from '../calendar/iso-date-schema.js';

export interface FormComponent {
  id?: string;
  type: string;
  key?: string;
  label?: string;
  dateLabel?: string;
  subtype?: string;
  text?: string;
  defaultValue?: unknown;
  values?: { label: string; value: unknown }[];
  validate?: {
    required?: boolean;
    minLength?: number;
    maxLength?: number;
    min?: number;
    max?: number;
    pattern?: string;
  };
  conditional?: { hide?: string };
  components?: FormComponent[];
}

export interface FormSchema {
  id: string;
  components: FormComponent[];
}

export interface FieldError {
  /** The field's key, or the unknown key that was sent. */
  key: string;
  message: string;
}

export type Outcome =
  | { ok: true; variables: Record<string, unknown> }
  | { ok: false; errors: FieldError[]; values: Record<string, unknown> };

interface Field {
  key: string;
  type: string;
  subtype?: string;
  label: string;
  required: boolean;
  defaultValue?: unknown;
  options?: unknown[];
  validate: NonNullable<FormComponent['validate']>;
  /** The hide conditions of the field and of every group around it: any one true hides it. */
  hiddenWhen: string[];
}

/** Free text without a limit in the form still gets one: a process variable is no place for long text. */
const TEXT_LIMIT = { textfield: 500, textarea: 2000 } as const;

const KEYED_TYPES = new Set([
  'checkbox',
  'number',
  'select',
  'radio',
  'textfield',
  'textarea',
  'datetime',
  'checklist',
]);

const FEEL_WORDS = new Set(['not', 'and', 'or', 'true', 'false', 'null', 'if', 'then', 'else', 'in', 'some', 'every']);

function fieldsOf(components: FormComponent[], hiddenAround: string[] = []): Field[] {
  return components.flatMap((c) => {
    const hiddenWhen = c.conditional?.hide ? [...hiddenAround, c.conditional.hide] : hiddenAround;
    if (c.components) return fieldsOf(c.components, hiddenWhen);
    if (!c.key) return [];
    if (!KEYED_TYPES.has(c.type))
      throw new Error(`Form field ${c.key} has type ${c.type}, which the workspace cannot check`);
    return [
      {
        key: c.key,
        type: c.type,
        subtype: c.subtype,
        label: c.label ?? c.dateLabel ?? c.key,
        required: c.validate?.required === true,
        defaultValue: c.defaultValue,
        options: c.values?.map((v) => v.value),
        validate: c.validate ?? {},
        hiddenWhen,
      },
    ];
  });
}

function isHidden(condition: string, context: Record<string, unknown>): boolean {
  const expression = condition.startsWith('=') ? condition.slice(1) : condition;
  try {
    return evaluate(expression, context).value === true;
  } catch {
    // form-js shows a field whose condition does not evaluate; so do we.
    return false;
  }
}

const quote = (label: string) => `„${label}“`;
const empty = (v: unknown) => v === undefined || v === null || v === '';
const IsoDateTime = z.iso.datetime({ offset: true });

/** The value as the process gets it, or a German message naming the field. */
function checkValue(f: Field, v: unknown): { value: unknown } | { message: string } {
  const name = quote(f.label);
  switch (f.type) {
    case 'checkbox':
      if (typeof v !== 'boolean') return { message: `${name} muss angehakt sein oder nicht (ja/nein).` };
      if (f.required && !v) return { message: `${name} muss angehakt sein.` };
      return { value: v };
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return { message: `${name} muss eine Zahl sein.` };
      if (f.validate.min !== undefined && v < f.validate.min)
        return { message: `${name} muss mindestens ${f.validate.min} sein.` };
      if (f.validate.max !== undefined && v > f.validate.max)
        return { message: `${name} darf höchstens ${f.validate.max} sein.` };
      return { value: v };
    }
    case 'select':
    case 'radio':
      if (f.options ? !f.options.includes(v) : typeof v !== 'string')
        return { message: `${name}: Bitte einen der angebotenen Werte wählen.` };
      return { value: v };
    case 'checklist':
      if (!Array.isArray(v) || v.some((x) => (f.options ? !f.options.includes(x) : typeof x !== 'string')))
        return { message: `${name}: Bitte nur angebotene Werte wählen.` };
      if (f.required && v.length === 0) return { message: `${name} ist ein Pflichtfeld.` };
      // A list travels as JSON text: the engine host keeps plain values only (src/engine/variables.ts).
      return { value: v };
    case 'textfield':
    case 'textarea': {
      if (typeof v !== 'string') return { message: `${name} muss ein Text sein.` };
      const max = f.validate.maxLength ?? TEXT_LIMIT[f.type];
      if (v.trim().length > max) return { message: `${name} darf höchstens ${max} Zeichen lang sein.` };
      if (f.validate.minLength !== undefined && v.trim().length < f.validate.minLength)
        return { message: `${name} muss mindestens ${f.validate.minLength} Zeichen lang sein.` };
      if (f.validate.pattern && !new RegExp(f.validate.pattern).test(v))
        return { message: `${name} hat nicht das verlangte Format.` };
      return { value: v };
    }
    case 'datetime': {
      const ok =
        typeof v === 'string' &&
        (f.subtype === 'time'
          ? /^([01]\d|2[0-3]):[0-5]\d$/.test(v)
          : f.subtype === 'datetime'
            ? IsoDateTime.safeParse(v).success
            : IsoDate.safeParse(v).success);
      if (!ok)
        return {
          message:
            f.subtype === 'time'
              ? `${name} muss eine Uhrzeit sein (HH:MM).`
              : f.subtype === 'datetime'
                ? `${name} muss Datum und Uhrzeit sein.`
                : `${name} muss ein gültiges Datum sein.`,
        };
      return { value: v };
    }
    default:
      return { message: `${name} kann nicht geprüft werden.` };
  }
}

/**
 * Where a task is also completed by an API event: how the form's values make that event's body. What the API
 * carries that the form by design does not (the person's id, kept in the task; the Beratungsvermerk's texts,
 * which stay in the store and FMG.job and are only confirmed here) is filled in from the task or with a stand-in
 * that passes, so the check covers every rule about what the form does carry.
 */
interface EventLink {
  event: EventName;
  body(values: Record<string, unknown>, context: Record<string, unknown>): Record<string, unknown>;
  variables(body: Record<string, unknown>): Record<string, unknown>;
}

const STAND_IN_PERSON = '00000000-0000-4000-8000-000000000000';
const personOf = (context: Record<string, unknown>) =>
  typeof context.personId === 'string' ? context.personId : STAND_IN_PERSON;
const STAND_IN_NOTE = {
  grundAntragstellung: '-',
  groesseBg: 1,
  drittstaatsangehoerig: false,
  ergebnisPotenzialanalyse: '-',
  zielberuf: '-',
  gespraechszusammenfassung: '-',
  weiteresVorgehen: '-',
};
const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const querHeld: EventLink = {
  event: 'quer-held',
  body: (v, ctx) =>
    defined({
      personId: personOf(ctx),
      heldOn: v.heldOn,
      fmgDatenAktualisiert: v.fmgDatenAktualisiert,
      potenzialanalyse: v.potenzialanalyse,
      integrationsprognose: v.integrationsprognose,
      handlungsstrategie: v.handlungsstrategie,
      sofortangebot: v.sofortangebot,
      kooperationsplan: v.kooperationsplan,
      berufsabschluss: v.berufsabschluss === undefined ? undefined : v.berufsabschluss === 'ja',
      ausbildungGeprueft: v.ausbildungGeprueft,
      offenePunkteVorhanden: v.offenePunkteVorhanden,
      offenePunkte: v.offenePunkteVorhanden === true ? '-' : undefined,
      steuerungsempfehlung: v.steuerungsempfehlung,
      massnahmeEmpfohlen: v.massnahmeEmpfohlen,
      beratungsvermerk: STAND_IN_NOTE,
    }),
  variables: (b) => wuppertalAction('quer-held', b, true)!.variables,
};

/** Form id (the deployed form's `id`) -> the API event that completes the same task. */
export const EVENT_OF_FORM: Record<string, EventLink> = {
  'cottbus-id-check': {
    event: 'id-check-completed',
    body: (v) => defined({ identityVerified: v.identityVerified, responsible: v.responsible }),
    variables: (b) => cottbusAction('id-check-completed', b)!.variables,
  },
  'cottbus-arbeitspaket': {
    event: 'arbeitspaket-received',
    body: (v, ctx) => defined({ personId: personOf(ctx), receivedOn: v.receivedOn }),
    variables: (b) => cottbusAction('arbeitspaket-received', b)!.variables,
  },
  'cottbus-first-consultation': {
    event: 'first-consultation-held',
    body: (v, ctx) =>
      defined({
        personId: personOf(ctx),
        heldOn: v.heldOn,
        profiling: v.profiling,
        kooperationsplan: v.kooperationsplan,
        consultationMode: v.consultationMode,
        checklist: defined(Object.fromEntries(FIRST_CONSULTATION_CHECKBOXES.map((k) => [k, v[k]]))),
      }),
    variables: (b) => cottbusAction('first-consultation-held', b)!.variables,
  },
  'wuppertal-quer': querHeld,
  'wuppertal-member-consultation': querHeld,
};

export interface TaskFormValidator {
  formId: string;
  /** Variable names the form reads besides its fields: in conditions and in {{ }} texts. Ids, dates, flags. */
  contextNames: string[];
  fieldKeys: string[];
  labelOf(key: string): string;
  check(submitted: unknown, context: Record<string, unknown>): Outcome;
}

function namesIn(components: FormComponent[]): string[] {
  const names = new Set<string>();
  const walk = (cs: FormComponent[]) =>
    cs.forEach((c) => {
      for (const m of (c.text ?? '').matchAll(/{{\s*([A-Za-z_][A-Za-z0-9_]*)\s*}}/g)) names.add(m[1]!);
      const hide = c.conditional?.hide;
      // Identifiers outside string literals; FEEL's own words are no variables.
      if (hide)
        for (const m of hide.replace(/"[^"]*"/g, '').matchAll(/[A-Za-z_][A-Za-z0-9_]*/g))
          if (!FEEL_WORDS.has(m[0])) names.add(m[0]);
      if (c.components) walk(c.components);
    });
  walk(components);
  return [...names];
}

export function buildValidator(schema: FormSchema): TaskFormValidator {
  const fields = fieldsOf(schema.components);
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const link = EVENT_OF_FORM[schema.id];
  const labelOf = (key: string) => byKey.get(key)?.label ?? key;
  return {
    formId: schema.id,
    contextNames: [...new Set([...namesIn(schema.components), ...(link ? ['personId'] : [])])].filter(
      (n) => !byKey.has(n),
    ),
    fieldKeys: fields.map((f) => f.key),
    labelOf,
    check(submitted, context) {
      if (typeof submitted !== 'object' || submitted === null || Array.isArray(submitted))
        return { ok: false, errors: [{ key: '', message: 'Die Formularwerte fehlen.' }], values: {} };
      const values = submitted as Record<string, unknown>;
      const errors: FieldError[] = [];
      for (const key of Object.keys(values))
        if (!byKey.has(key)) errors.push({ key, message: `Das Feld ${quote(key)} gehört nicht zu diesem Formular.` });
      // Conditions read the task's variables and the form's own fields; an unknown key must not steer them.
      const data = { ...context, ...Object.fromEntries(Object.entries(values).filter(([k]) => byKey.has(k))) };
      const variables: Record<string, unknown> = {};
      for (const f of fields) {
        // A hidden field is neither required nor sent, as in form-js: its value would be a stale leftover.
        if (f.hiddenWhen.some((c) => isHidden(c, data))) continue;
        let v = values[f.key];
        if (v === undefined && f.defaultValue !== undefined) v = f.defaultValue;
        if (v === undefined && f.type === 'checkbox') v = false;
        if (empty(v)) {
          if (f.required) errors.push({ key: f.key, message: `${quote(f.label)} ist ein Pflichtfeld.` });
          continue;
        }
        const checked = checkValue(f, v);
        if ('message' in checked) errors.push({ key: f.key, message: checked.message });
        else variables[f.key] = checked.value;
      }
      if (!errors.length && link) errors.push(...againstEvent(link, variables, context, byKey, labelOf));
      return errors.length ? { ok: false, errors, values } : { ok: true, variables };
    },
  };
}

/** The event's schema on the body the values make, then its mapping back must give the values the form sends. */
function againstEvent(
  link: EventLink,
  variables: Record<string, unknown>,
  context: Record<string, unknown>,
  fields: Map<string, Field>,
  labelOf: (key: string) => string,
): FieldError[] {
  const parsed = EVENT_BODIES[link.event].safeParse(link.body(variables, context));
  if (!parsed.success)
    return parsed.error.issues.map((i) => {
      const key = String([...i.path].reverse().find((p) => fields.has(String(p))) ?? i.path.join('.'));
      return { key, message: `${quote(labelOf(key))} entspricht nicht den Regeln der Schnittstelle (${i.message}).` };
    });
  const mapped = link.variables(parsed.data);
  return Object.keys(variables)
    .filter((k) => k in mapped && JSON.stringify(mapped[k]) !== JSON.stringify(variables[k]))
    .map((key) => ({
      key,
      message: `${quote(labelOf(key))} ergibt über die Schnittstelle einen anderen Wert; bitte prüfen.`,
    }));
}

const cache = new Map<string, TaskFormValidator>();

/** One validator per deployed form version: forms are small, but every completion would parse them again. */
export function validatorFor(schema: FormSchema): TaskFormValidator {
  const id = createHash('sha256').update(JSON.stringify(schema)).digest('base64url');
  let v = cache.get(id);
  if (!v) {
    if (cache.size >= 100) cache.clear();
    v = buildValidator(schema);
    cache.set(id, v);
  }
  return v;
}
