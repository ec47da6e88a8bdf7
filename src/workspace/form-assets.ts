/**
 * The browser side of a task's form in the workspace: form-js's viewer (the renderer Tasklist uses for Camunda
 * Forms) bundled with esbuild, its stylesheet, and our small script that imports the task's form into it and
 * sends the values back. form-js ships no browser bundle, so the server builds one at the first request and keeps
 * it; the pages' CSP allows scripts from this origin only, so all of it is served under /arbeitsplatz/assets.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { type NextFunction, type Request, type Response, Router } from 'express';

import { BASE } from './layout.js';

export const ASSETS = `${BASE}/assets`;

export interface FormViewerAssets {
  /** form-js's viewer as one script; it sets `window.FormJs = { Form, schemaVersion }`. */
  script: string;
  css: string;
}

async function bundleViewer(): Promise<FormViewerAssets> {
  const require = createRequire(import.meta.url);
  // The package's own folder, so esbuild resolves the same copy whose stylesheets are read below.
  const entry = require.resolve('@bpmn-io/form-js-viewer');
  const result = await build({
    stdin: {
      contents:
        "import { Form, schemaVersion } from '@bpmn-io/form-js-viewer'; window.FormJs = { Form, schemaVersion };",
      resolveDir: path.dirname(entry),
      loader: 'js',
    },
    bundle: true,
    format: 'iife',
    write: false,
    minify: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const assets = path.join(path.dirname(entry), 'assets');
  const css = ['form-js.css', 'form-js-base.css'].map((f) => readFileSync(path.join(assets, f), 'utf8')).join('\n');
  return { script: result.outputFiles[0]!.text, css };
}

async function bundleClient(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./task-form-client.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    minify: true,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** Built once; a failed build is tried again by the next request rather than kept. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= make().catch((e: unknown) => {
      pending = undefined;
      throw e;
    });
    return pending;
  };
}

export const formViewerAssets = once(bundleViewer);
export const taskFormClient = once(bundleClient);

/** No login needed: open-source code and styles, no data. Revalidated by ETag, so a new release shows at once. */
export function formAssetsRouter(): Router {
  const router = Router();
  const send = (type: string, body: () => Promise<string>) => (_req: Request, res: Response, next: NextFunction) => {
    body().then((text) => res.type(type).set('Cache-Control', 'no-cache').send(text), next);
  };
  router.get(
    `${ASSETS}/form-js.js`,
    send('text/javascript', async () => (await formViewerAssets()).script),
  );
  router.get(
    `${ASSETS}/form-js.css`,
    send('text/css', async () => (await formViewerAssets()).css),
  );
  router.get(`${ASSETS}/task-form.js`, send('text/javascript', taskFormClient));
  return router;
}
