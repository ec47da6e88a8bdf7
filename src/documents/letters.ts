/**
 * Letters for the eAkte, and their rendering as PDF with pdf-lib: a business letter after DIN 5008 form B when
 * the letter has a frame (letterhead, window address, information block, page numbers), a plain page otherwise
 * (enclosures such as the checklist). Filing them, once per dedup key, is the eAkte adapter's (src/adapters/eakte/).
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';

import { Tagger } from './tagging.js';

export interface Letter {
  jobcenter: string;
  applicationId: string;
  personId?: string;
  kind: string;
  title: string;
  paragraphs: string[];
  dedupKey: string;
  /** The business letter's frame; without it the letter is an enclosure (a title and its paragraphs). */
  frame?: LetterFrame;
  /**
   * The jobcenter posts it: filed as one for the post room's print list (the workspace's Postausgang). A letter
   * whose window says "Anschrift fehlt" is never listed: there is nothing to post it to.
   */
  post?: boolean;
}

/** What surrounds a business letter's text: everything but its subject and paragraphs. */
export interface LetterFrame {
  /** Letterhead lines, the first in bold (the sender's name). */
  letterhead: string[];
  /** The return line in small print at the top of the window (Rücksendeangabe). */
  returnLine: string;
  /** The window's address lines; null when the store has no address: the window then says "Anschrift fehlt". */
  addressee: string[] | null;
  /** The information block: label and value, e.g. ["BG-Nummer", "12345BG0000001"]; the date comes last. */
  references: [label: string, value: string][];
  /** The letter's date, an ISO date (Berlin). */
  date: string;
  /** Footer lines on every page: contact and opening hours. */
  footer: string[];
  /** The sender as the PDF's metadata names it (Author): the jobcenter. */
  author?: string;
}

/** Printed in the window when the household has no address; such a letter must not go to the print list. */
export const ADDRESS_MISSING = 'Anschrift fehlt';

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

/** Millimetres to PDF points. */
const mm = (v: number) => (v * 72) / 25.4;
const A4: [number, number] = [mm(210), mm(297)];
const LEFT = mm(25);
const RIGHT = mm(20);
const TEXT_WIDTH = A4[0] - LEFT - RIGHT;
const BODY = 11;
const LEADING = 14.5;
/** Bottom of the text area: the footer (contact, opening hours, page number) sits below it. */
const TEXT_BOTTOM = mm(32);
/** Top of the text on the second and later pages. */
const FOLLOW_TOP = A4[1] - mm(20);
/** The first line of the subject: DIN 5008 form B, 103.4 mm from the top (after the window and the info block). */
const SUBJECT_TOP = A4[1] - mm(103.4);

/** From the top of the page, as DIN 5008 measures, to pdf-lib's baseline from the bottom. */
const fromTop = (v: number, size: number) => A4[1] - v - size * 0.8;

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

/**
 * A plain enclosure (no frame), or a business letter after DIN 5008 form B: letterhead in the top 45 mm, the
 * address field 45 mm from the top and 20 mm from the left (85 x 45 mm: 17.7 mm for the return line, then the
 * address), the information block 125 mm from the left and 50 mm from the top ending with the date, the subject
 * at 103.4 mm, fold marks at 105 and 210 mm and the hole mark at 148.5 mm, and "Seite n von m" on every page.
 * The PDF carries its title and language (de-DE) and shows the title; its text is real text in Helvetica (WinAnsi
 * covers ä, ö, ü and ß), so it can be selected, searched and read aloud, and it is tagged (tagging.ts): subject,
 * headings and paragraphs in reading order, letterhead, window and information block as paragraphs, the rest
 * marked as artefacts.
 */
export async function renderPdf(title: string, paragraphs: string[], frame?: LetterFrame): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title, { showInWindowTitleBar: true });
  pdf.setLanguage('de-DE');
  pdf.setSubject(title);
  if (frame?.author) pdf.setAuthor(frame.author);
  pdf.setCreator('Jobcenter process orchestrator');
  pdf.setProducer('pdf-lib');
  const fonts: Fonts = {
    regular: await pdf.embedFont(StandardFonts.Helvetica),
    bold: await pdf.embedFont(StandardFonts.HelveticaBold),
  };
  const tags = new Tagger(pdf);
  let page = pdf.addPage(A4);
  let y: number;
  if (frame) {
    drawFirstPageFrame(page, frame, fonts, tags);
    y = SUBJECT_TOP;
    const subject = tags.element('H1');
    for (const line of wrap(title, TEXT_WIDTH, (s) => fonts.bold.widthOfTextAtSize(s, BODY))) {
      const at = y;
      tags.mark(subject, page, () => page.drawText(line, { x: LEFT, y: at, size: BODY, font: fonts.bold }));
      y -= LEADING;
    }
    y -= LEADING;
  } else {
    y = A4[1] - mm(25);
    const at = y;
    tags.mark(tags.element('H1'), page, () => page.drawText(title, { x: LEFT, y: at, size: 14, font: fonts.bold }));
    y -= 30;
  }
  for (const paragraph of paragraphs) {
    // A paragraph that starts with "# " is a heading (e.g. the Rechtsfolgenbelehrung): bold, kept with its text.
    const heading = paragraph.startsWith('# ');
    const font = heading ? fonts.bold : fonts.regular;
    const text = heading ? paragraph.slice(2) : paragraph;
    const lines = wrap(text, TEXT_WIDTH, (s) => font.widthOfTextAtSize(s, BODY));
    const element = tags.element(heading ? 'H2' : 'P');
    // A heading keeps two lines of its text with it; a short paragraph (the closing) is not split across pages.
    const needed = heading ? LEADING * 3 : lines.length <= 4 ? LEADING * lines.length : LEADING;
    if (y - needed < TEXT_BOTTOM) {
      page = pdf.addPage(A4);
      y = FOLLOW_TOP;
    }
    for (const line of lines) {
      if (y - LEADING < TEXT_BOTTOM) {
        page = pdf.addPage(A4);
        y = FOLLOW_TOP;
      }
      const [on, at] = [page, y];
      tags.mark(element, on, () => on.drawText(line, { x: LEFT, y: at, size: BODY, font }));
      y -= LEADING;
    }
    y -= LEADING * 0.6;
  }
  const pages = pdf.getPages();
  pages.forEach((p, i) => {
    if (frame) tags.artifact(p, () => drawFooter(p, frame.footer, fonts));
    const label = `Seite ${i + 1} von ${pages.length}`;
    tags.artifact(p, () =>
      p.drawText(label, {
        x: A4[0] - RIGHT - fonts.regular.widthOfTextAtSize(label, 8),
        y: mm(12),
        size: 8,
        font: fonts.regular,
      }),
    );
  });
  tags.finish(title);
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

/** Renders a letter as its frame says: a business letter or an enclosure. */
export function renderLetter(letter: Letter): Promise<Buffer> {
  return renderPdf(letter.title, letter.paragraphs, letter.frame);
}

function drawFirstPageFrame(page: PDFPage, frame: LetterFrame, { regular, bold }: Fonts, tags: Tagger) {
  // Letterhead: right-aligned in the top 45 mm.
  const letterhead = tags.element('P');
  frame.letterhead.forEach((line, i) => {
    const font = i === 0 ? bold : regular;
    const size = i === 0 ? 14 : 9;
    const y = fromTop(mm(15) + (i === 0 ? 0 : mm(2) + i * 11), size);
    tags.mark(letterhead, page, () =>
      page.drawText(line, { x: A4[0] - RIGHT - font.widthOfTextAtSize(line, size), y, size, font }),
    );
  });
  // Address field: return line in the 17.7 mm zone, the address in the 27.3 mm below it. The return line repeats
  // the letterhead for the postman: an artefact to a screen reader.
  const fieldLeft = mm(20) + mm(5);
  tags.artifact(page, () => {
    page.drawText(fit(frame.returnLine, mm(80), regular, 7), {
      x: fieldLeft,
      y: fromTop(mm(45) + mm(12), 7),
      size: 7,
      font: regular,
    });
    page.drawLine({
      start: { x: fieldLeft, y: fromTop(mm(45) + mm(15), 0) },
      end: { x: fieldLeft + mm(75), y: fromTop(mm(45) + mm(15), 0) },
      thickness: 0.3,
      color: rgb(0.4, 0.4, 0.4),
    });
  });
  const lines = frame.addressee ?? [ADDRESS_MISSING];
  const address = tags.element('P');
  lines.slice(0, 6).forEach((line, i) => {
    tags.mark(address, page, () =>
      page.drawText(line, {
        x: fieldLeft,
        y: fromTop(mm(45) + mm(17.7) + i * 12.5, 10),
        size: 10,
        font: frame.addressee ? regular : bold,
      }),
    );
  });
  // Information block: labels and values, the date last.
  const infoLeft = mm(125);
  const entries: [string, string][] = [...frame.references, ['Datum', de(frame.date)]];
  let line = 0;
  for (const [label, value] of entries) {
    // Label and value are read together ("BG-Nummer COTBG0000042"): one paragraph each.
    const entry = tags.element('P');
    const y = () => fromTop(mm(50) + line * 11.5, 8.5);
    const labelY = y();
    tags.mark(entry, page, () =>
      page.drawText(label, { x: infoLeft, y: labelY, size: 8.5, font: regular, color: rgb(0.3, 0.3, 0.3) }),
    );
    // A value too long for its column goes on its own line under the label, across the block.
    if (regular.widthOfTextAtSize(value, 8.5) > mm(45)) line++;
    const x = regular.widthOfTextAtSize(value, 8.5) > mm(45) ? infoLeft : infoLeft + mm(27);
    const valueY = y();
    tags.mark(entry, page, () =>
      page.drawText(fit(value, mm(75), regular, 8), { x, y: valueY, size: 8, font: regular }),
    );
    line++;
  }
  // Fold marks (105 mm, 210 mm) and the hole mark (148.5 mm) at the left edge.
  tags.artifact(page, () => {
    for (const [at, length] of [
      [105, 5],
      [148.5, 8],
      [210, 5],
    ] as const) {
      const y = A4[1] - mm(at);
      page.drawLine({
        start: { x: mm(3), y },
        end: { x: mm(3 + length), y },
        thickness: 0.3,
        color: rgb(0.5, 0.5, 0.5),
      });
    }
  });
}

function drawFooter(page: PDFPage, footer: string[], { regular }: Fonts) {
  footer.forEach((line, i) => {
    page.drawText(fit(line, TEXT_WIDTH - mm(30), regular, 7.5), {
      x: LEFT,
      y: mm(24) - i * 9.5,
      size: 7.5,
      font: regular,
      color: rgb(0.25, 0.25, 0.25),
    });
  });
}

/** Shortens a line that would overflow its box (never expected with real settings, but never over the margin). */
function fit(text: string, width: number, font: PDFFont, size: number): string {
  if (font.widthOfTextAtSize(text, size) <= width) return text;
  let t = text;
  while (t.length > 1 && font.widthOfTextAtSize(`${t}…`, size) > width) t = t.slice(0, -1);
  return `${t}…`;
}

function de(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}
