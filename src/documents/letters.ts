/**
 * Letters for the eAkte: rendered as PDF with pdf-lib and stored once per dedup key, so a retried job
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

/** Wraps text to the page width; Helvetica's WinAnsi covers German umlauts and ß. */
function wrap(text: string, width: number, size: number, measure: (s: string, size: number) => number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (measure(next, size) > width && line) {
        lines.push(line);
        line = word;
      } else line = next;
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
    for (const line of wrap(p, 480, 11, (s, size) => font.widthOfTextAtSize(s, size))) {
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

export async function fileLetter(db: Kysely<Database>, letter: Letter): Promise<string> {
  const existing = await db.selectFrom('documents').select('id').where('dedup_key', '=', letter.dedupKey).executeTakeFirst();
  if (existing) return existing.id;
  const content = await renderPdf(letter.title, letter.paragraphs);
  await db
    .insertInto('documents')
    .values({
      jobcenter: letter.jobcenter,
      application_id: letter.applicationId,
      person_id: letter.personId ?? null,
      kind: letter.kind,
      title: letter.title,
      media_type: 'application/pdf',
      content,
      dedup_key: letter.dedupKey,
    })
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .execute();
  const row = await db.selectFrom('documents').select('id').where('dedup_key', '=', letter.dedupKey).executeTakeFirstOrThrow();
  return row.id;
}
