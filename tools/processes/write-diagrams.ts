/** `npm run diagrams`: draws every processes/**.bpmn with bpmn-js in headless Chromium and writes docs/diagrams/<path>.svg. */
import { writeDiagrams } from './diagrams.js';

const started = Date.now();
try {
  const written = await writeDiagrams(process.cwd(), ({ diagram, picture, bytes }) => {
    process.stdout.write(`diagrams: ${diagram} → ${picture} (${Math.ceil(bytes / 1000)} kB)\n`);
  });
  process.stdout.write(`diagrams: ${written.length} picture${written.length === 1 ? '' : 's'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
} catch (error) {
  process.stderr.write(`diagrams: failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
