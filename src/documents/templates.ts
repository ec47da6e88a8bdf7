/**
 * The letters' wording: one template per letter and jobcenter in `processes/<jobcenter>/letters/<letter>.txt`,
 * which the jobcenter edits (changing a sentence is a change of that file and nothing else). Templates are
 * Handlebars (`{{rueckgabedatum}}`, `{{#if telefonisch}}…{{else}}…{{/if}}`, `{{#each formulare}}…{{/each}}`,
 * `{{!-- comments --}}`), rendered as plain text. Each letter declares the placeholders the code fills; at start
 * every jobcenter's templates are read and checked, and a missing template, an unknown placeholder or a missing
 * required one stops the start with file and line.
 *
 * Format: the first line is "Betreff: <subject>"; the rest are paragraphs separated by blank lines; a line break
 * inside a paragraph is kept; a paragraph starting with "# " is a heading.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import Handlebars from 'handlebars';

import type { JobcenterSettings } from '../config/jobcenter.js';

interface LetterSpec {
  /** What the letter is, for the messages. */
  description: string;
  /** The placeholders the code fills; a template may use these and no others. */
  fields: readonly string[];
  /** Placeholders the template must use (what the letter exists to say). */
  required: readonly string[];
  /** Placeholders that are lists (`{{#each}}`). */
  lists?: readonly string[];
}

const COMMON = ['anrede', 'jobcenter', 'grussformel'] as const;

/** Every letter with a template, by its file name. */
export const LETTERS = {
  'anschreiben-antragsunterlagen': {
    description: 'Anschreiben zu den Antragsunterlagen',
    fields: [...COMMON, 'antragsdatum', 'rueckgabedatum', 'formulare'],
    required: ['anrede', 'rueckgabedatum'],
    lists: ['formulare'],
  },
  'versand-antragsunterlagen': {
    description: 'Versand der Antragsunterlagen durch das Servicecenter',
    fields: [...COMMON, 'formulare'],
    required: ['anrede', 'formulare'],
    lists: ['formulare'],
  },
  arbeitspaket: {
    description: 'Arbeitspaket SGB II',
    fields: [...COMMON, 'kundennummer', 'rueckgabedatum'],
    required: ['anrede', 'rueckgabedatum'],
  },
  'einladung-rfb': {
    description: 'Einladung zum Erstgespräch mit Rechtsfolgenbelehrung',
    fields: [...COMMON, 'datum', 'uhrzeit', 'wochentag', 'ansprechpartner', 'telefonisch', 'ort', 'telefon'],
    required: ['anrede', 'datum', 'uhrzeit', 'ansprechpartner'],
  },
  abgabenachricht: {
    description: 'Abgabenachricht: Weiterleitung des Antrags an das zuständige Jobcenter',
    fields: [...COMMON, 'antragsdatum', 'nachweis'],
    required: ['anrede', 'antragsdatum'],
  },
} as const satisfies Record<string, LetterSpec>;

export type LetterName = keyof typeof LETTERS;

/** The values of a letter's placeholders: a string each, a boolean for conditions, a list of strings for lists. */
export type LetterData = Record<string, string | boolean | string[]>;

export interface RenderedLetter {
  subject: string;
  paragraphs: string[];
}

export class TemplateError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'TemplateError';
  }
}

export function templateFile(settings: Pick<JobcenterSettings, 'id' | 'folder'>, letter: string): string {
  return path.join(settings.folder ?? path.join('processes', settings.id), 'letters', `${letter}.txt`);
}

type Node = hbs.AST.Node;

/** The problems of one template's text: unknown or missing placeholders, helpers, a missing subject line. */
export function checkTemplate(file: string, letter: string, source: string): string[] {
  const spec: LetterSpec | undefined = (LETTERS as Record<string, LetterSpec>)[letter];
  if (!spec) return [`${file}: no letter "${letter}" (known: ${Object.keys(LETTERS).join(', ')})`];
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch (e) {
    return [`${file}: ${(e as Error).message.split('\n')[0]}`];
  }
  const problems: string[] = [];
  const used = new Set<string>();
  const at = (n: { loc?: hbs.AST.SourceLocation }) => `${file}:${n.loc?.start.line ?? '?'}`;
  const known = spec.fields.join(', ');
  const checkPath = (p: Node, inEach: boolean) => {
    if (p.type !== 'PathExpression') {
      problems.push(`${at(p)}: only placeholders are allowed here (known: ${known})`);
      return;
    }
    const path = p as unknown as hbs.AST.PathExpression;
    if (inEach && (path.original === 'this' || path.original === '.' || path.data)) return;
    const name = path.parts[0] ?? path.original;
    if (path.data || !spec.fields.includes(name) || path.parts.length > 1) {
      problems.push(`${at(p)}: unknown placeholder "{{${path.original}}}" (known: ${known})`);
      return;
    }
    used.add(name);
  };
  const walk = (node: Node, inEach: boolean) => {
    switch (node.type) {
      case 'Program':
        for (const n of (node as unknown as hbs.AST.Program).body) walk(n, inEach);
        return;
      case 'MustacheStatement': {
        const m = node as unknown as hbs.AST.MustacheStatement;
        if (m.params.length > 0)
          problems.push(`${at(m)}: helpers are not allowed, only placeholders (known: ${known})`);
        else checkPath(m.path, inEach);
        return;
      }
      case 'BlockStatement': {
        const b = node as unknown as hbs.AST.BlockStatement;
        const helper = b.path.original;
        if (!['if', 'unless', 'each'].includes(helper) || b.params.length !== 1) {
          problems.push(`${at(b)}: only {{#if}}, {{#unless}} and {{#each}} blocks are allowed`);
          return;
        }
        checkPath(b.params[0] as Node, inEach);
        const param = b.params[0] as hbs.AST.PathExpression;
        if (helper === 'each' && !(spec.lists ?? []).includes(param.original))
          problems.push(`${at(b)}: "${param.original}" is not a list`);
        walk(b.program, inEach || helper === 'each');
        if (b.inverse) walk(b.inverse, inEach);
        return;
      }
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      default:
        problems.push(`${at(node)}: ${node.type} is not allowed in a letter template`);
    }
  };
  walk(ast, false);
  for (const r of spec.required)
    if (!used.has(r)) problems.push(`${file}: the letter must use the placeholder {{${r}}} (${spec.description})`);
  const firstLine = source
    .replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, '')
    .trimStart()
    .split('\n')[0];
  if (!firstLine?.startsWith('Betreff: ')) problems.push(`${file}: the first line must be "Betreff: <subject>"`);
  return problems;
}

const cache = new Map<string, HandlebarsTemplateDelegate>();

/** Reads and checks every letter's template of each jobcenter; the problems, all at once (empty: all good). */
export function checkLetterTemplates(jobcenters: Iterable<Pick<JobcenterSettings, 'id' | 'folder'>>): string[] {
  const problems: string[] = [];
  for (const settings of jobcenters) {
    for (const letter of Object.keys(LETTERS)) {
      const file = templateFile(settings, letter);
      if (!existsSync(file)) {
        problems.push(`${file}: missing (the template of the letter "${letter}")`);
        continue;
      }
      problems.push(...checkTemplate(file, letter, readFileSync(file, 'utf8')));
    }
  }
  return problems;
}

/**
 * Renders a letter from its template with the given data. Every placeholder the template uses must be given: a
 * missing value throws rather than print an empty date in a letter to a citizen.
 */
export function renderTemplate(
  settings: Pick<JobcenterSettings, 'id' | 'folder'>,
  letter: LetterName,
  data: LetterData,
): RenderedLetter {
  const file = templateFile(settings, letter);
  let template = cache.get(file);
  if (!template) {
    const source = readFileSync(file, 'utf8');
    const problems = checkTemplate(file, letter, source);
    if (problems.length) throw new TemplateError(problems);
    template = Handlebars.compile(source, { noEscape: true, strict: true, knownHelpersOnly: true });
    cache.set(file, template);
  }
  for (const field of LETTERS[letter].fields)
    if (!(field in data)) throw new TemplateError([`${file}: no value for {{${field}}}`]);
  return splitLetter(template(data), file);
}

/** The rendered text: the subject line, then paragraphs at blank lines, line breaks inside them kept. */
export function splitLetter(text: string, file = 'letter'): RenderedLetter {
  const [first, ...rest] = text.replace(/\r\n/g, '\n').trimStart().split('\n');
  if (!first?.startsWith('Betreff: '))
    throw new TemplateError([`${file}: the first line must be "Betreff: <subject>"`]);
  const paragraphs = rest
    .join('\n')
    .split(/\n[ \t]*\n/)
    .map((p) =>
      p
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .join('\n'),
    )
    .filter(Boolean);
  return { subject: first.slice('Betreff: '.length).trim(), paragraphs };
}
