/**
 * Bundles form-js's viewer (the renderer Tasklist uses for Camunda Forms) into one script a page can load, so a
 * test can render our .form files in a real browser without network access. form-js ships no browser bundle.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { build } from 'esbuild';

export interface FormViewerAssets {
  script: string;
  css: string;
}

export async function formViewerAssets(): Promise<FormViewerAssets> {
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
