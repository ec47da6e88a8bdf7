/**
 * Text hygiene at the edge: every string a client sends is refused when it holds a control character (C0, DEL, C1)
 * or an unpaired surrogate, and is otherwise NFC-normalised, before any schema sees it. PostgreSQL refuses NUL
 * (a 500 for the client), a lone surrogate cannot be encoded as UTF-8 (stored as U+FFFD, silently changed), and
 * the same name typed on two keyboards (precomposed or combining "ü") must be one name in the store.
 */
import { z } from 'zod';

import type { Issue } from './errors.js';

/**
 * Marks a string schema as multi-line free text (a note, a summary): the only strings that may hold line feeds,
 * carriage returns and tabs. The OpenAPI document shows it to clients, and validate() reads it from the schema.
 */
export const MULTILINE = 'x-multiline';

/** Free text that may span lines; every other string of the API is one line. */
export function multilineText(): z.ZodString {
  return z.string().meta({ [MULTILINE]: true });
}

/** Line feed, carriage return and tab: allowed in multi-line text only. */
const LINE_BREAKS_AND_TABS = new Set([0x09, 0x0a, 0x0d]);
/** Deeper than any schema of ours; a bound keeps a pathological body from exhausting the stack. */
const MAX_DEPTH = 64;
/** Enough to show the client what is wrong without echoing a 100 kB body of NULs back as issues. */
const MAX_ISSUES = 20;

const codePoint = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a string is refused, or undefined; names the offending code unit by position, never echoes the text. */
export function textProblem(s: string, multiline: boolean): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      if (multiline && LINE_BREAKS_AND_TABS.has(c)) continue;
      return LINE_BREAKS_AND_TABS.has(c)
        ? `must be a single line: no line breaks or tabs (${codePoint(c)} at index ${i})`
        : `must not contain control characters (${codePoint(c)} at index ${i})`;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `must not contain an unpaired surrogate (${codePoint(c)} at index ${i})`;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return `must not contain an unpaired surrogate (${codePoint(c)} at index ${i})`;
  }
  return undefined;
}

/** A field name fit for an issue's path: offending code units spelled as \uXXXX. */
function printable(key: string): string {
  let out = '';
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const bad = c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff);
    out += bad ? `\\u${c.toString(16).padStart(4, '0')}` : key[i];
  }
  return out;
}

// Just enough of zod's definitions to find the schema of a field, whatever wraps it.
type Schema = z.core.$ZodType;
interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  out?: Schema;
  getter?: () => Schema;
  options?: Schema[];
  left?: Schema;
  right?: Schema;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  element?: Schema;
  items?: Schema[];
  rest?: Schema | null;
  valueType?: Schema;
}
const defOf = (s: Schema) => s._zod.def as unknown as Def;

/** The schemas a value may meet once optional, default, pipe, lazy, union and the like are looked through. */
function unwrap(s: Schema, depth = 0): Schema[] {
  if (depth > MAX_DEPTH) return [];
  const d = defOf(s);
  switch (d.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return unwrap(d.innerType!, depth + 1);
    case 'pipe':
      // A preprocess (transform first) changes the value before the schema proper meets it.
      return unwrap(defOf(d.in!).type === 'transform' ? d.out! : d.in!, depth + 1);
    case 'lazy':
      return unwrap(d.getter!(), depth + 1);
    case 'union':
      return d.options!.flatMap((o) => unwrap(o, depth + 1));
    case 'intersection':
      return [...unwrap(d.left!, depth + 1), ...unwrap(d.right!, depth + 1)];
    default:
      return [s];
  }
}

/** The schemas of one field or item of a value the given schemas describe; none when the field is unknown. */
function childOf(schemas: Schema[], key: string | number): Schema[] {
  return schemas.flatMap((s) => {
    const d = defOf(s);
    if (d.type === 'object') {
      const field = typeof key === 'string' && Object.hasOwn(d.shape!, key) ? d.shape![key] : d.catchall;
      return field ? unwrap(field) : [];
    }
    if (d.type === 'array') return unwrap(d.element!);
    if (d.type === 'record') return unwrap(d.valueType!);
    if (d.type === 'tuple') {
      const item = typeof key === 'number' ? (d.items![key] ?? d.rest) : undefined;
      return item ? unwrap(item) : [];
    }
    return [];
  });
}

const isMultiline = (schemas: Schema[]) => schemas.some((s) => z.globalRegistry.get(s)?.[MULTILINE] === true);

/** Own data properties only, defined rather than assigned, so a field named "__proto__" stays a field. */
function setField(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Checks every string in a request part (and every field name) and returns the part with each string
 * NFC-normalised; `schema` (optional) only tells which fields are multi-line text. Issues name the field as
 * validate() does for zod: `body.household.members.0.givenName`.
 */
export function cleanText(
  value: unknown,
  schema: Schema | undefined,
  part: string,
): { value: unknown; issues: Issue[] } {
  const issues: Issue[] = [];
  const report = (path: (string | number)[], message: string) => {
    if (issues.length < MAX_ISSUES) issues.push({ path: [part, ...path].join('.'), message });
  };
  const walk = (v: unknown, schemas: Schema[], path: (string | number)[]): unknown => {
    if (typeof v === 'string') {
      const problem = textProblem(v, isMultiline(schemas));
      if (problem) report(path, problem);
      return problem ? v : v.normalize('NFC');
    }
    if (v === null || typeof v !== 'object') return v;
    if (path.length >= MAX_DEPTH) {
      report(path, `is nested more than ${MAX_DEPTH} levels deep`);
      return v;
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, childOf(schemas, i), [...path, i]));
    const out = {};
    for (const [key, item] of Object.entries(v)) {
      const problem = textProblem(key, false);
      if (problem) report([...path, printable(key)], `field name ${problem}`);
      setField(out, key, walk(item, childOf(schemas, key), [...path, key]));
    }
    return out;
  };
  const cleaned = walk(value, schema ? unwrap(schema) : [], []);
  return { value: cleaned, issues };
}
