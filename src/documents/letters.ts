/**
 * Letters for the eAkte, and their rendering as PDF with pdf-lib. Filing them, once per dedup key, is the eAkte
 * adapter's (src/adapters/eakte/).
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';

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
