/** The letter templates each jobcenter edits: checked at start with file and line, every placeholder filled. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { loadJobcenters } from '../../../src/config/load.js';
import {
  checkLetterTemplates,
  checkTemplate,
  type LetterData,
  type LetterName,
  LETTERS,
  renderTemplate,
  TemplateError,
} from '../../../src/documents/templates.js';

const { jobcenters } = loadJobcenters('processes');

/** A value for every placeholder, each one recognisable in the output. */
const SAMPLE: Record<LetterName, LetterData> = {
  'anschreiben-antragsunterlagen': {
    anrede: 'Guten Tag Anna Schmidt,',
    jobcenter: 'Jobcenter X',
    antragsdatum: '23.11.2026',
    rueckgabedatum: '07.12.2026',
    formulare: ['Hauptantrag SGB II', 'Anlage KdU (Kosten der Unterkunft)'],
    grussformel: 'Ihr Jobcenter X',
  },
  'versand-antragsunterlagen': {
    anrede: 'Guten Tag Anna Schmidt,',
    jobcenter: 'Jobcenter X',
    formulare: ['Hauptantrag SGB II', 'Anlage VM (Vermögen)'],
    grussformel: 'Ihr Jobcenter X',
  },
  arbeitspaket: {
    anrede: 'Guten Tag Ben Schmidt,',
    jobcenter: 'Jobcenter X',
    kundennummer: 'KD000100002',
    rueckgabedatum: '30.11.2026',
    grussformel: 'Ihr Jobcenter X',
  },
  'einladung-rfb': {
    anrede: 'Sehr geehrte Frau Schmidt,',
    jobcenter: 'Jobcenter X',
    wochentag: 'Montag',
    datum: '07.12.2026',
    uhrzeit: '09:20',
    ansprechpartner: 'Elke Neumann',
    telefonisch: false,
    ort: 'Musterstraße 1, Zimmer 101',
    telefon: '0355 000000-101',
    grussformel: 'Ihr Jobcenter X',
  },
  abgabenachricht: {
    anrede: 'Guten Tag Rolf Zuzug,',
    jobcenter: 'Jobcenter X',
    antragsdatum: '16.11.2026',
    nachweis: 'aktuelle Meldebescheinigung',
    grussformel: 'Ihr Jobcenter X',
  },
};

describe.each([...jobcenters.values()].map((s) => [s.id, s] as const))('the templates of %s', (_id, settings) => {
  it('are all there and pass the start check', () => {
    expect(checkLetterTemplates([settings])).toEqual([]);
  });

  it.each(Object.keys(LETTERS) as LetterName[])('%s: fills every placeholder', (letter) => {
    const { subject, paragraphs } = renderTemplate(settings, letter, SAMPLE[letter]);
    const text = [subject, ...paragraphs].join('\n');
    expect(text).not.toMatch(/\{\{|\}\}/);
    expect(subject.length).toBeGreaterThan(0);
    // Every value shows (the jobcenter's name is in the letterhead, which the templates need not repeat).
    for (const [field, value] of Object.entries(SAMPLE[letter]))
      if (typeof value === 'string' && field !== 'jobcenter') expect(text).toContain(value);
    for (const form of (SAMPLE[letter].formulare as string[] | undefined) ?? []) expect(text).toContain(`– ${form}`);
    expect(paragraphs[0]).toBe(SAMPLE[letter].anrede);
  });

  it.each(Object.keys(LETTERS) as LetterName[])('%s: refuses to render with a value missing', (letter) => {
    const { rueckgabedatum: _r, datum: _d, formulare: _f, antragsdatum: _a, ...data } = SAMPLE[letter];
    expect(() => renderTemplate(settings, letter, data)).toThrow(TemplateError);
  });
});

describe('the cover letter', () => {
  it('carries the sentence the seed prescribes, with the concrete date', () => {
    for (const settings of jobcenters.values()) {
      const { paragraphs } = renderTemplate(
        settings,
        'anschreiben-antragsunterlagen',
        SAMPLE['anschreiben-antragsunterlagen'],
      );
      expect(paragraphs).toContain('Wir erwarten den Eingang Ihrer Antragsunterlagen bis zum 07.12.2026.');
    }
  });
});

describe('the invitation', () => {
  it('names room and caseworker in person, and the phone call otherwise', () => {
    const settings = jobcenters.get('cottbus')!;
    const inPerson = renderTemplate(settings, 'einladung-rfb', SAMPLE['einladung-rfb']).paragraphs.join('\n');
    expect(inPerson).toContain('Ort: Musterstraße 1, Zimmer 101');
    const byPhone = renderTemplate(settings, 'einladung-rfb', { ...SAMPLE['einladung-rfb'], telefonisch: true });
    expect(byPhone.paragraphs.join('\n')).toContain('telefonisch. Elke Neumann ruft Sie zu dieser Zeit an');
    expect(byPhone.paragraphs.join('\n')).not.toContain('Ort:');
  });
});

describe('the start check', () => {
  const file = 'processes/x/letters/arbeitspaket.txt';

  it('names the file and line of an unknown placeholder', () => {
    const source = 'Betreff: Arbeitspaket bis {{rueckgabedatum}}\n\n{{anrede}}\n\nIhre Nummer: {{kundenummer}}\n';
    expect(checkTemplate(file, 'arbeitspaket', source)).toEqual([
      expect.stringMatching(/^processes\/x\/letters\/arbeitspaket\.txt:5: unknown placeholder "\{\{kundenummer\}\}"/),
    ]);
  });

  it('refuses helpers, a missing required placeholder and a missing subject line', () => {
    expect(checkTemplate(file, 'arbeitspaket', 'Betreff: A {{rueckgabedatum}}\n\n{{anrede}} {{lookup x y}}')).toEqual([
      expect.stringContaining(`${file}:3: helpers are not allowed`),
    ]);
    expect(checkTemplate(file, 'arbeitspaket', 'Betreff: A\n\n{{anrede}}')).toEqual([
      expect.stringContaining('must use the placeholder {{rueckgabedatum}}'),
    ]);
    expect(checkTemplate(file, 'arbeitspaket', '{{anrede}} {{rueckgabedatum}}')).toEqual([
      expect.stringContaining('the first line must be "Betreff: <subject>"'),
    ]);
  });

  it('reports a missing template with its path', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'letters-'));
    mkdirSync(path.join(dir, 'letters'));
    writeFileSync(path.join(dir, 'letters', 'arbeitspaket.txt'), 'Betreff: A {{rueckgabedatum}}\n\n{{anrede}}\n');
    const problems = checkLetterTemplates([{ id: 'x', folder: dir }]);
    expect(problems).toEqual(
      expect.arrayContaining([
        `${path.join(dir, 'letters', 'einladung-rfb.txt')}: missing (the template of the letter "einladung-rfb")`,
        `${path.join(dir, 'letters', 'anschreiben-antragsunterlagen.txt')}: missing (the template of the letter "anschreiben-antragsunterlagen")`,
      ]),
    );
    expect(problems).toHaveLength(4);
  });
});
