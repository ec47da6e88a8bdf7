/**
 * A minimal tagged PDF on pdf-lib's low-level objects, which pdf-lib itself does not write: every drawn line is
 * marked content with an MCID that belongs to a structure element (H1 subject, H2 heading, P paragraph, address,
 * information block), or an /Artifact (return line, footer, page numbers, fold marks), and the catalog gets the
 * structure tree, its ParentTree and /MarkInfo. A screen reader then reads the letter's parts in order, with its
 * headings, and skips the artefacts. This is tagging, not PDF/UA: the standard Helvetica is not embedded, and
 * no validator (veraPDF, PAC) has passed these files.
 */
import {
  type PDFContext,
  type PDFDict,
  type PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames as Ops,
  type PDFPage,
  type PDFRef,
} from 'pdf-lib';

type StructType = 'H1' | 'H2' | 'P';

interface Part {
  page: PDFPage;
  mcid: number;
}

interface Element {
  type: StructType;
  parts: Part[];
  ref: PDFRef;
}

export class Tagger {
  private readonly context: PDFContext;
  private readonly documentRef: PDFRef;
  private readonly elements: Element[] = [];
  /** Per page: the structure element of each MCID, in MCID order (the page's ParentTree entry). */
  private readonly parents = new Map<PDFPage, PDFRef[]>();

  constructor(private readonly pdf: PDFDocument) {
    this.context = pdf.context;
    this.documentRef = this.context.nextRef();
  }

  /** A new structure element (in reading order); its content is drawn with `mark`. */
  element(type: StructType): Element {
    const element = { type, parts: [], ref: this.context.nextRef() };
    this.elements.push(element);
    return element;
  }

  /** Draws content that belongs to the element, as one marked-content sequence with the page's next MCID. */
  mark(element: Element, page: PDFPage, draw: () => void): void {
    const refs = this.parents.get(page) ?? [];
    this.parents.set(page, refs);
    const mcid = refs.length;
    refs.push(element.ref);
    element.parts.push({ page, mcid });
    page.pushOperators(
      // pdf-lib's operator arguments take no dictionary; a string is written as it stands.
      PDFOperator.of(Ops.BeginMarkedContentSequence, [PDFName.of(element.type), `<</MCID ${mcid}>>`]),
    );
    draw();
    page.pushOperators(PDFOperator.of(Ops.EndMarkedContent));
  }

  /** Draws content that is not part of the text (repeated sender, footer, page numbers, marks). */
  artifact(page: PDFPage, draw: () => void): void {
    page.pushOperators(PDFOperator.of(Ops.BeginMarkedContent, [PDFName.of('Artifact')]));
    draw();
    page.pushOperators(PDFOperator.of(Ops.EndMarkedContent));
  }

  /** Writes the structure tree, the ParentTree and /MarkInfo; call once, after the last page is drawn. */
  finish(title: string): void {
    const ctx = this.context;
    const used = this.elements.filter((e) => e.parts.length > 0);
    for (const e of used) {
      ctx.assign(
        e.ref,
        ctx.obj({
          Type: 'StructElem',
          S: e.type,
          P: this.documentRef,
          K: e.parts.map((p) => ctx.obj({ Type: 'MCR', Pg: p.page.ref, MCID: PDFNumber.of(p.mcid) })),
        }),
      );
    }
    const rootRef = ctx.nextRef();
    ctx.assign(
      this.documentRef,
      ctx.obj({
        Type: 'StructElem',
        S: 'Document',
        P: rootRef,
        T: PDFHexString.fromText(title),
        K: used.map((e) => e.ref),
      }),
    );
    const nums: (PDFNumber | PDFRef)[] = [];
    this.pdf.getPages().forEach((page, i) => {
      page.node.set(PDFName.of('StructParents'), PDFNumber.of(i));
      // Tab order follows the structure (PDF/UA asks for it on every page with annotations; harmless without).
      page.node.set(PDFName.of('Tabs'), PDFName.of('S'));
      nums.push(PDFNumber.of(i), ctx.register(ctx.obj(this.parents.get(page) ?? [])));
    });
    const root: PDFDict = ctx.obj({
      Type: 'StructTreeRoot',
      K: this.documentRef,
      ParentTree: ctx.obj({ Nums: nums }),
      ParentTreeNextKey: PDFNumber.of(nums.length / 2),
    });
    ctx.assign(rootRef, root);
    this.pdf.catalog.set(PDFName.of('StructTreeRoot'), rootRef);
    this.pdf.catalog.set(PDFName.of('MarkInfo'), ctx.obj({ Marked: true }));
  }
}
