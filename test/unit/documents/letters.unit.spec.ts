/** The letters' line wrapping against its definition, with pdf-lib's own Helvetica metrics; and a letter renders. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  decodePDFRawStream,
  PDFArray,
  PDFBool,
  PDFDict,
  PDFDocument,
  type PDFFont,
  PDFName,
  PDFNumber,
  type PDFPage,
  type PDFRawStream,
  PDFString,
  StandardFonts,
} from 'pdf-lib';

import { fileLetters } from '../../../src/adapters/eakte/store-eakte.js';
import { type Letter, type LetterFrame, renderPdf, wrap } from '../../../src/documents/letters.js';
import { seedApplication } from '../../support/application.js';
import { pdfText } from '../../support/pdf-text.js';
import { BACKENDS, useTestStore } from '../store/backends.js';

/** The definition: a word goes on the line when the whole line with it, measured afresh, still fits. */
function wrapByDefinition(text: string, width: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (measure(next) > width && line) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    lines.push(line);
  }
  return lines;
}

async function helvetica(): Promise<PDFFont> {
  return (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
}

// Letters that kern in Helvetica (AV, Te, Yo, r., "L'") and German ones, in words of any length.
const word = fc.string({
  unit: fc.constantFrom(...'AVTYLWPFaeoruyvw.,;:-\'"ÄÖÜäöüßMustermanBescheid0123456789'.split('')),
  minLength: 0,
  maxLength: 18,
});
const text = fc
  .array(fc.tuple(word, fc.constantFrom(' ', ' ', ' ', '  ', '\n')), { maxLength: 80 })
  .map((parts) => parts.map(([w, sep]) => w + sep).join(''));

describe('wrap', () => {
  it('breaks lines exactly where measuring each whole candidate line would', async () => {
    const font = await helvetica();
    const measure = (s: string) => font.widthOfTextAtSize(s, 11);
    fc.assert(
      fc.property(text, fc.integer({ min: 20, max: 600 }), (t, width) => {
        expect(wrap(t, width, measure)).toEqual(wrapByDefinition(t, width, measure));
      }),
      { numRuns: 500 },
    );
  });

  it('also for a font that kerns the last letter of a word against the space', () => {
    // Helvetica kerns the space only before a letter; this made-up font kerns on both sides of it.
    const kerning: Record<string, number> = { 'r ': -3, '. ': -2.5, ' A': -1.5, AV: -2, 'y ': 1.25 };
    const measure = (s: string) => {
      let w = 0;
      for (let i = 0; i < s.length; i++) w += 5 + (s.charCodeAt(i) % 7) + (kerning[s.slice(i, i + 2)] ?? 0);
      return w;
    };
    fc.assert(
      fc.property(text, fc.integer({ min: 20, max: 600 }), (t, width) => {
        expect(wrap(t, width, measure)).toEqual(wrapByDefinition(t, width, measure));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every line of a real letter within the width, unless one word alone is wider', async () => {
    const font = await helvetica();
    const measure = (s: string) => font.widthOfTextAtSize(s, 11);
    const paragraph =
      'Sehr geehrte Frau Mustermann, bitte bringen Sie zum Termin am Montag, 14. Dezember 2026, folgende Unterlagen mit: Personalausweis, Mietvertrag, Kontoauszüge der letzten drei Monate. Rechtsfolgenbelehrung: Wenn Sie ohne wichtigen Grund nicht erscheinen, kann das Bürgergeld gemindert werden.';
    const lines = wrap(paragraph, 480, measure);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe(paragraph);
    for (const line of lines) expect(measure(line)).toBeLessThanOrEqual(480);
  });
});

describe('renderPdf', () => {
  it('renders a titled PDF that pdf-lib reads back, with a second page for long letters', async () => {
    const pdf = await renderPdf(
      'Einladung',
      Array.from({ length: 60 }, (_, i) => `Absatz ${i}: Größe, Übung, Straße.`),
    );
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const read = await PDFDocument.load(pdf);
    expect(read.getTitle()).toBe('Einladung');
    expect(read.getPageCount()).toBeGreaterThan(1);
  });

  it('tells a screen reader and a viewer the title, the language German and the sender, and its text is text', async () => {
    const frame: LetterFrame = {
      letterhead: ['Jobcenter Cottbus'],
      returnLine: 'Jobcenter Cottbus · Musterstraße 1 · 03046 Cottbus',
      addressee: ['Frau Anna Schmidt', 'Lindenstraße 12', '03046 Cottbus'],
      references: [['Vorgangsnummer', 'CO-2026-00042']],
      date: '2026-11-23',
      footer: ['Jobcenter Cottbus'],
      author: 'Jobcenter Cottbus',
    };
    const pdf = await renderPdf('Einladung zum Erstgespräch', ['Guten Tag Anna Schmidt,'], frame);
    const read = await PDFDocument.load(pdf, { updateMetadata: false });
    // The catalog's /Lang is what assistive technology reads the text in (PDF/UA-1 7.2, WCAG 3.1.1).
    expect(read.catalog.lookup(PDFName.of('Lang'), PDFString).decodeText()).toBe('de-DE');
    expect(read.getTitle()).toBe('Einladung zum Erstgespräch');
    // A viewer shows the title, not the file name, in its window (DisplayDocTitle).
    const prefs = read.catalog.lookup(PDFName.of('ViewerPreferences'), PDFDict);
    expect(prefs.get(PDFName.of('DisplayDocTitle'))).toBe(PDFBool.True);
    expect(read.getAuthor()).toBe('Jobcenter Cottbus');
    expect(read.getSubject()).toBe('Einladung zum Erstgespräch');
    expect(await pdfText(pdf)).toContain('Frau Anna Schmidt\nLindenstraße 12\n03046 Cottbus');
  });
});

describe('the tagged PDF', () => {
  const frame: LetterFrame = {
    letterhead: ['Jobcenter Cottbus', 'Musterstraße 1'],
    returnLine: 'Jobcenter Cottbus · Musterstraße 1 · 03046 Cottbus',
    addressee: ['Frau Anna Schmidt', 'Lindenstraße 12', '03046 Cottbus'],
    references: [['Vorgangsnummer', 'CO-2026-00042']],
    date: '2026-11-23',
    footer: ['Öffnungszeiten: Mo 08:00–12:00 Uhr'],
  };
  const paragraphs = [
    'Sehr geehrte Frau Schmidt,',
    '# Rechtsfolgenbelehrung',
    ...Array.from({ length: 40 }, (_, i) => `Absatz ${i}: Größe, Übung, Straße, ein Satz, der etwas länger ist.`),
  ];

  /** Each page's content as operators in order: [operator, operand text]. */
  function operators(doc: PDFDocument, page: PDFPage): [string, string][] {
    const contents = page.node.Contents();
    const refs = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    const text = refs
      .map((ref) =>
        Buffer.from(decodePDFRawStream(doc.context.lookup(ref) as PDFRawStream).decode()).toString('latin1'),
      )
      .join('\n');
    return [...text.matchAll(/((?:\/\w+\s*)?(?:<<[^>]*>>|<[0-9A-Fa-f]*>)?)\s*\b(BDC|BMC|EMC|Tj)\b/g)].map((m) => [
      m[2]!,
      m[1]!,
    ]);
  }

  it('marks every drawn line as content of a structure element or as an artefact, and says so in the catalog', async () => {
    const doc = await PDFDocument.load(await renderPdf('Einladung zum Erstgespräch', paragraphs, frame));
    expect(doc.getPageCount()).toBeGreaterThan(1);
    expect(doc.catalog.lookup(PDFName.of('MarkInfo'), PDFDict).get(PDFName.of('Marked'))).toBe(PDFBool.True);
    const root = doc.catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict);
    const nums = root.lookup(PDFName.of('ParentTree'), PDFDict).lookup(PDFName.of('Nums'), PDFArray);
    doc.getPages().forEach((page, i) => {
      let depth = 0;
      const mcids: number[] = [];
      for (const [op, operand] of operators(doc, page)) {
        if (op === 'BDC') mcids.push(Number(/\/MCID (\d+)/.exec(operand)![1]));
        if (op === 'BDC' || op === 'BMC') depth++;
        if (op === 'EMC') depth--;
        // No text outside marked content: a screen reader would meet it nowhere in the structure.
        if (op === 'Tj') expect(depth).toBeGreaterThan(0);
      }
      expect(depth).toBe(0);
      expect(mcids).toEqual(mcids.map((_, n) => n));
      // The page's ParentTree entry names, for each MCID, the element whose K points back at it on this page.
      expect(page.node.get(PDFName.of('StructParents'))).toEqual(PDFNumber.of(i));
      const parents = nums.lookup(2 * i + 1, PDFArray);
      expect(parents.size()).toBe(mcids.length);
      mcids.forEach((mcid) => {
        const element = parents.lookup(mcid, PDFDict);
        const refs = element.lookup(PDFName.of('K'), PDFArray).asArray() as PDFDict[];
        expect(
          refs.some(
            (r) => r.get(PDFName.of('MCID'))?.toString() === String(mcid) && r.get(PDFName.of('Pg')) === page.ref,
          ),
        ).toBe(true);
      });
    });
  });

  it('reads letterhead, window, information block, subject and text in that order, with the headings as such', async () => {
    const doc = await PDFDocument.load(await renderPdf('Einladung zum Erstgespräch', paragraphs, frame));
    const root = doc.catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict);
    const document = root.lookup(PDFName.of('K'), PDFDict);
    expect(document.get(PDFName.of('S'))).toBe(PDFName.of('Document'));
    const kinds = document
      .lookup(PDFName.of('K'), PDFArray)
      .asArray()
      .map((ref) => (doc.context.lookup(ref, PDFDict).get(PDFName.of('S')) as PDFName).decodeText());
    // Letterhead, address, the Vorgangsnummer, the date; the subject; the greeting, the heading, 40 paragraphs.
    expect(kinds).toEqual(['P', 'P', 'P', 'P', 'H1', 'P', 'H2', ...paragraphs.slice(2).map(() => 'P')]);
  });
});

describe.each(BACKENDS)('fileLetters (%s)', (kind) => {
  const store = useTestStore(kind);

  it('files each letter once, in order, also when two deliveries of the job run at the same time', async () => {
    const deps = { store } as Parameters<typeof seedApplication>[0];
    const { applicationId } = await seedApplication(deps);
    const letter = (k: string): Letter => ({
      jobcenter: 'cottbus',
      applicationId,
      kind: k,
      title: k,
      paragraphs: [`Text ${k}`],
      dedupKey: `${applicationId}:${k}`,
    });
    const first = await fileLetters(store.db, [letter('a'), letter('b')]);
    // A retry adds a letter; two deliveries of it race each other.
    const [x, y] = await Promise.all([
      fileLetters(store.db, [letter('c'), letter('a'), letter('b')]),
      fileLetters(store.db, [letter('c'), letter('a'), letter('b')]),
    ]);
    expect(x).toEqual(y);
    expect(x.slice(1)).toEqual(first);
    const rows = await store.db
      .selectFrom('documents')
      .select(['kind', 'id'])
      .where('application_id', '=', applicationId)
      .orderBy('kind')
      .execute();
    expect(rows).toEqual([
      { kind: 'a', id: first[0] },
      { kind: 'b', id: first[1] },
      { kind: 'c', id: x[0] },
    ]);
    expect(await fileLetters(store.db, [])).toEqual([]);
  });
});
