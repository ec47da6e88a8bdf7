/**
 * The pictures under docs/diagrams show the diagrams as they are now: each records the SHA-256 of its diagram,
 * so a changed or new diagram without a new picture fails here (hashing only, no browser). The walking skeleton
 * (a test fixture, never pictured) is also drawn in Chromium to prove the renderer itself works and refuses a
 * broken file by name.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import { diagramFiles, type DiagramRenderer,openRenderer, pictureFile, recordedHash, sha256, staleDiagrams, stampPicture } from '../../../tools/processes/diagrams.js';

describe('committed pictures', () => {
  it('cover every diagram, each drawn from its current bytes', () => {
    const stale = staleDiagrams();
    if (stale.length > 0) throw new Error(`Pictures out of date for ${stale.join(', ')}: run npm run diagrams and commit docs/diagrams/`);
    expect(diagramFiles().length).toBeGreaterThan(0);
  });
});

describe('staleDiagrams on a copy', () => {
  const diagram = diagramFiles()[0]!;
  const copies: string[] = [];

  /** A temp folder with the real diagrams and, unless told otherwise, the real pictures: the real files stay untouched. */
  function copyOfRepo({ pictures = true } = {}): string {
    const root = mkdtempSync(path.join(os.tmpdir(), 'diagrams-'));
    copies.push(root);
    for (const diagram of diagramFiles()) cpSync(diagram, path.join(root, diagram));
    if (pictures) cpSync('docs/diagrams', path.join(root, 'docs/diagrams'), { recursive: true });
    return root;
  }

  afterAll(() => {
    for (const root of copies) rmSync(root, { recursive: true, force: true });
  });

  it('finds nothing stale in an untouched copy', () => {
    expect(staleDiagrams(copyOfRepo())).toEqual([]);
  });

  it('reports a diagram with one byte changed since its picture was drawn', () => {
    const root = copyOfRepo();
    const bytes = readFileSync(path.join(root, diagram));
    const at = bytes.indexOf(' name="') + ' name="'.length;
    expect(at).toBeGreaterThan(10);
    bytes[at] = bytes[at] === 'x'.charCodeAt(0) ? 'y'.charCodeAt(0) : 'x'.charCodeAt(0);
    writeFileSync(path.join(root, diagram), bytes);
    expect(staleDiagrams(root)).toEqual([diagram]);
  });

  it('reports a diagram without a picture', () => {
    const root = copyOfRepo();
    unlinkSync(path.join(root, pictureFile(diagram)));
    expect(staleDiagrams(root)).toEqual([diagram]);
  });

  it('reports every diagram when docs/diagrams is missing', () => {
    const root = copyOfRepo({ pictures: false });
    expect(staleDiagrams(root)).toEqual(diagramFiles(root));
    expect(diagramFiles(root)).toEqual(diagramFiles());
  });
});

describe('stamp', () => {
  it('sits inside the root element and reads back as the hash', () => {
    const svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1"><g/></svg>';
    const hash = sha256(Buffer.from('x'));
    const stamped = stampPicture(svg, 'processes/x.bpmn', hash);
    expect(stamped).toMatch(/^<\?xml[^\n]*\n<svg [^>]*>\n<!-- source: processes\/x\.bpmn sha256:[0-9a-f]{64} -->\n<g\/><\/svg>$/);
    expect(recordedHash(stamped)).toBe(hash);
    expect(recordedHash(svg)).toBeUndefined();
  });
});

describe('rendering in Chromium', () => {
  jest.setTimeout(120_000);
  const skeleton = 'test/fixtures/skeleton/walking-skeleton.bpmn';
  let renderer: DiagramRenderer;

  beforeAll(async () => {
    renderer = await openRenderer();
  });

  afterAll(async () => {
    await renderer?.close();
  });

  it('draws the walking skeleton with every task name', async () => {
    const xml = readFileSync(skeleton, 'utf8');
    const names = [...xml.matchAll(/<bpmn:(?:service|user)Task id="[^"]+" name="([^"]+)"/g)].map((m) => m[1]!);
    const svg = await renderer.render(skeleton, xml);
    // bpmn-js breaks long names into <tspan> lines; joined, the lines give the name back.
    const text = svg.replace(/<\/tspan>/g, '').replace(/<[^>]+>/g, '');
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !text.includes(n))).toEqual([]);
  });

  it('gives the same bytes for the same diagram twice', async () => {
    const xml = readFileSync(skeleton, 'utf8');
    const first = await renderer.render(skeleton, xml);
    expect(await renderer.render(skeleton, xml)).toBe(first);
  });

  it('reads the camunda: extension, warning about a Camunda attribute that does not exist', async () => {
    const xml = readFileSync(skeleton, 'utf8').replace('camunda:formRefBinding="latest"', 'camunda:formRefBinding="latest" camunda:noSuchAttribute="x"');
    await expect(renderer.render(skeleton, xml)).rejects.toThrow(/noSuchAttribute/);
  });

  it('refuses a file bpmn-js cannot read, naming it', async () => {
    await expect(renderer.render('processes/broken.bpmn', '<bpmn:definitions')).rejects.toThrow(/processes\/broken\.bpmn/);
  });
});
