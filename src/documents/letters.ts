/**
 * Letters for the eAkte: rendered as PDF with pdf-lib and stored once per dedup key, so a retried external task
 * finds the letter it wrote and never files a second one.
 */
import type { Kysely } from 'kysely';
import { PDFDocument, StandardFonts } from 'pdf-lib';

import type { Database } from '../store/index.js';

export interface Letter {
  jobcenter: string;
  applicationId: string;
  personId?: string;
  kind: string;
  title: string;
  paragraphs: string[];
  dedupKey: string;
}

/**
 * Wraps text to the page width; Helvetica's WinAnsi covers German umlauts and ß. A line's width grows word by
 * word: width(line + " " + word) = width(line) + width(" " + word) + the kerning where the two meet, measured on
 * those two letters alone. Exact, and linear in the text; measuring every longer candidate line again was
 * most of a letter's rendering time.
 */
export function wrap(text: string, width: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(/\s+/)) {
      if (!line) {
        line = word;
        lineWidth = measure(word);
        continue;
      }
      const last = line.slice(-1);
      const joint = measure(`${last} `) - measure(last) - measure(' ');
      const nextWidth = lineWidth + measure(` ${word}`) + joint;
      if (nextWidth > width) {
        lines.push(line);
        line = word;
        lineWidth = measure(word);
      } else {
        line = `${line} ${word}`;
        lineWidth = nextWidth;
      }
    }
    lines.push(line);
  }
  return lines;
}

export async function renderPdf(title: string, paragraphs: string[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setCreator('Jobcenter process orchestrator');
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let page = pdf.addPage([595, 842]);
  let y = 780;
  page.drawText(title, { x: 56, y, size: 14, font: bold });
  y -= 30;
  for (const p of paragraphs) {
    for (const line of wrap(p, 480, (s) => font.widthOfTextAtSize(s, 11))) {
      if (y < 60) {
        page = pdf.addPage([595, 842]);
        y = 780;
      }
      page.drawText(line, { x: 56, y, size: 11, font });
      y -= 15;
    }
    y -= 8;
  }
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

/**
 * Files letters once each, in two statements for any number of them (the existing ones found, the missing ones
 * rendered and inserted together), and returns their ids in the given order. A letter filed meanwhile by a
 * concurrent delivery of the same external task is found by a third.
 */
export async function fileLetters(db: Kysely<Database>, letters: Letter[]): Promise<string[]> {
  if (letters.length === 0) return [];
  const keys = letters.map((l) => l.dedupKey);
  const ids = new Map<string, string>();
  const remember = (rows: { dedup_key: string; id: string }[]) => rows.forEach((r) => ids.set(r.dedup_key, r.id));
  remember(await db.selectFrom('documents').select(['dedup_key', 'id']).where('dedup_key', 'in', keys).execute());
  const missing = letters.filter((l) => !ids.has(l.dedupKey));
  if (missing.length > 0) {
    const rows = await Promise.all(
      missing.map(async (letter) => ({
        jobcenter: letter.jobcenter,
        application_id: letter.applicationId,
        person_id: letter.personId ?? null,
        kind: letter.kind,
        title: letter.title,
        media_type: 'application/pdf',
        content: await renderPdf(letter.title, letter.paragraphs),
        dedup_key: letter.dedupKey,
      })),
    );
    remember(
      await db
        .insertInto('documents')
        .values(rows)
        .onConflict((oc) => oc.column('dedup_key').doNothing())
        .returning(['dedup_key', 'id'])
        .execute(),
    );
    const raced = keys.filter((k) => !ids.has(k));
    if (raced.length > 0)
      remember(await db.selectFrom('documents').select(['dedup_key', 'id']).where('dedup_key', 'in', raced).execute());
  }
  return keys.map((k) => {
    const id = ids.get(k);
    if (!id) throw new Error(`Letter ${k} was neither found nor filed`);
    return id;
  });
}

export async function fileLetter(db: Kysely<Database>, letter: Letter): Promise<string> {
  const [id] = await fileLetters(db, [letter]);
  return id!;
}
