/**
 * Pictures of the BPMN diagrams for readers without Camunda Modeler: each processes/<path>.bpmn is drawn by
 * bpmn-js (Modeler's own renderer) in headless Chromium and written to docs/diagrams/<path>.svg. Each picture
 * records the SHA-256 of the diagram it shows, because file times in a git checkout say nothing, so a test can
 * tell when a diagram changed and its picture was not drawn again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import camundaSchema from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import { type Browser, chromium, type Page } from 'playwright-core';

import { filesUnder } from '../../src/processes/load.js';
import { CHROMIUM_ARGS, ensureChromium } from '../browser/chromium.js';

export const PICTURES_DIR = 'docs/diagrams';

/** Every diagram under `<root>/processes`, as a path relative to root with forward slashes (the form written into pictures). */
export function diagramFiles(root = process.cwd()): string[] {
  return filesUnder(path.join(root, 'processes'), '.bpmn').map((f) => path.relative(root, f).split(path.sep).join('/'));
}

/** processes/cottbus/neukunde.bpmn → docs/diagrams/cottbus/neukunde.svg */
export function pictureFile(diagram: string): string {
  return `${PICTURES_DIR}/${path.posix.relative('processes', diagram).replace(/\.bpmn$/, '.svg')}`;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const SOURCE_COMMENT = /<!-- source: (\S+) sha256:([0-9a-f]{64}) -->/;

/** Puts the source comment right after the `<svg …>` start tag, inside the root element, so the file stays one valid SVG document. */
export function stampPicture(svg: string, diagram: string, hash: string): string {
  const startTag = /<svg\b[^>]*>/.exec(svg);
  if (!startTag) throw new Error(`${diagram}: bpmn-js returned no <svg> element`);
  const at = startTag.index + startTag[0].length;
  return `${svg.slice(0, at)}\n<!-- source: ${diagram} sha256:${hash} -->\n${svg.slice(at)}`;
}

/** The diagram hash a picture was drawn from, or undefined for a picture without one. */
export function recordedHash(svg: string): string | undefined {
  return SOURCE_COMMENT.exec(svg)?.[2];
}

/** Diagrams whose picture is missing or was drawn from other bytes than the diagram has now. */
export function staleDiagrams(root = process.cwd()): string[] {
  return diagramFiles(root).filter((diagram) => {
    const picture = path.join(root, pictureFile(diagram));
    if (!existsSync(picture)) return true;
    return recordedHash(readFileSync(picture, 'utf8')) !== sha256(readFileSync(path.join(root, diagram)));
  });
}

/**
 * bpmn-js names its arrow-head markers with random ids, so every run would change every picture; numbering
 * them in order of appearance makes the same diagram give the same bytes.
 */
export function numberMarkers(svg: string): string {
  const names = new Map<string, string>();
  for (const [, id] of svg.matchAll(/id="(marker-[^"]+)"/g)) {
    if (!names.has(id!)) names.set(id!, `marker-${names.size + 1}`);
  }
  return svg.replace(/(id="|#)(marker-[^"')]+)/g, (whole, before: string, id: string) => before + (names.get(id) ?? id));
}

export interface DiagramRenderer {
  /** SVG of one diagram; fails naming the file when bpmn-js cannot import it or warns about it. */
  render(diagram: string, xml: string): Promise<string>;
  close(): Promise<void>;
}

type ImportOutcome = { svg: string } | { error: string; warnings: string[] };

/** One Chromium page holding bpmn-js's viewer bundle, reused for every diagram because the launch is the slow part. */
export async function openRenderer(): Promise<DiagramRenderer> {
  const executablePath = ensureChromium();
  const browser: Browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await loadViewer(page);
    return {
      async render(diagram, xml) {
        const outcome = await page.evaluate(drawInPage, { xml, moddleExtensions: { camunda: camundaSchema } });
        if ('error' in outcome) {
          const why = outcome.error ? `could not import it: ${outcome.error}` : 'warned on import';
          throw new Error(`${diagram}: bpmn-js ${why}${outcome.warnings.length > 0 ? `: ${outcome.warnings.join('; ')}` : ''}`);
        }
        return numberMarkers(outcome.svg);
      },
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

async function loadViewer(page: Page): Promise<void> {
  const dist = path.join(path.dirname(createRequire(import.meta.url).resolve('bpmn-js/package.json')), 'dist');
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body><div id="canvas" style="width:1600px;height:1000px"></div></body></html>');
  // saveSVG keeps selection outlines out of the measured bounds with a class that only diagram-js.css defines.
  for (const css of ['diagram-js.css', 'bpmn-js.css']) await page.addStyleTag({ path: path.join(dist, 'assets', css) });
  await page.addScriptTag({ path: path.join(dist, 'bpmn-viewer.production.min.js') });
}

/**
 * Runs inside the page, so it may use nothing from this module; it declares no named inner functions either,
 * because tsx would wrap those in a helper the page does not have. The Camunda moddle extension comes in as an
 * argument, so bpmn-js reads the camunda: attributes and elements as Modeler in Camunda 7 mode does and warns
 * about any it does not know.
 */
async function drawInPage({ xml, moddleExtensions }: { xml: string; moddleExtensions: Record<string, unknown> }): Promise<ImportOutcome> {
  type Viewer = { importXML(x: string): Promise<{ warnings: unknown[] }>; saveSVG(): Promise<{ svg: string }>; destroy(): void };
  const BpmnJS = (window as unknown as { BpmnJS: new (o: { container: string; moddleExtensions: Record<string, unknown> }) => Viewer }).BpmnJS;
  const viewer = new BpmnJS({ container: '#canvas', moddleExtensions });
  try {
    const { warnings } = await viewer.importXML(xml);
    // A warning means bpmn-js skipped or guessed part of the diagram, so the picture would not show the file as it is.
    if (warnings.length > 0) return { error: '', warnings: warnings.map((w) => String((w as Error)?.message ?? w)) };
    return await viewer.saveSVG();
  } catch (e) {
    const warnings = ((e as { warnings?: unknown[] }).warnings ?? []).map((w) => String((w as Error)?.message ?? w));
    return { error: String((e as Error)?.message ?? e), warnings };
  } finally {
    viewer.destroy();
  }
}

export interface WrittenPicture {
  diagram: string;
  picture: string;
  bytes: number;
}

/** Draws every diagram under `<root>/processes` and writes its stamped picture, reporting each as soon as it is written. */
export async function writeDiagrams(root = process.cwd(), written: (p: WrittenPicture) => void = () => {}): Promise<WrittenPicture[]> {
  const diagrams = diagramFiles(root);
  if (diagrams.length === 0) throw new Error(`no .bpmn file under ${path.join(root, 'processes')}`);
  const renderer = await openRenderer();
  const results: WrittenPicture[] = [];
  try {
    for (const diagram of diagrams) {
      const bytes = readFileSync(path.join(root, diagram));
      const svg = stampPicture(await renderer.render(diagram, bytes.toString('utf8')), diagram, sha256(bytes));
      const picture = pictureFile(diagram);
      mkdirSync(path.dirname(path.join(root, picture)), { recursive: true });
      writeFileSync(path.join(root, picture), svg);
      const result = { diagram, picture, bytes: Buffer.byteLength(svg) };
      results.push(result);
      written(result);
    }
  } finally {
    await renderer.close();
  }
  return results;
}
