/**
 * A test-only text extractor for the letters pdf-lib writes (pdftotext is not on every machine, and pdf-lib reads
 * no text): each page's content streams are inflated and the strings of their `Tj` operators decoded from WinAnsi,
 * one drawn line per line of the result. Enough for our own PDFs, which draw every line with one `Tj`.
 */
import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream } from 'pdf-lib';

/** WinAnsi differs from Latin-1 in 0x80-0x9F; the letters use these of them. */
const WIN_ANSI: Record<number, string> = {
  0x80: '€',
  0x84: '„',
  0x85: '…',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x96: '–',
  0x97: '—',
};

function decodeHex(hex: string): string {
  let out = '';
  for (let i = 0; i < hex.length; i += 2) {
    const byte = parseInt(hex.slice(i, i + 2), 16);
    out += WIN_ANSI[byte] ?? String.fromCharCode(byte);
  }
  return out;
}

/** The text of each page, its drawn lines in the order they were drawn. */
export async function pdfPages(pdf: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(pdf);
  return doc.getPages().map((page) => {
    const contents = page.node.Contents();
    const refs = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    const lines: string[] = [];
    for (const ref of refs) {
      const stream = doc.context.lookup(ref);
      if (!(stream instanceof PDFRawStream)) continue;
      const ops = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
      for (const m of ops.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) lines.push(decodeHex(m[1]!));
    }
    return lines.join('\n');
  });
}

/** All pages' text, one drawn line per line. */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  return (await pdfPages(pdf)).join('\n');
}
