/** `npm run templates`: writes processes/element-templates/<type>.json for every registered worker, and removes templates of workers that are gone. */
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';

import { workers } from '../../workers/index.js';
import { elementTemplate, propertiesReadBy, templateFile, workerSourceFile } from './element-templates.js';
import { filesUnder, readBpmn } from './load.js';

const summaries = await Promise.all(filesUnder('processes', '.bpmn').map((f) => readBpmn(f)));
for (const worker of workers) {
  const use = summaries.flatMap((s) => s.jobTypes).find((j) => j.type === worker.type);
  const name = use?.name ?? worker.type;
  const template = elementTemplate(worker, name, propertiesReadBy(readFileSync(workerSourceFile(worker.type), 'utf8')));
  writeFileSync(templateFile(worker.type), `${JSON.stringify(template, null, 2)}\n`);
}
const current = new Set(workers.map((w) => templateFile(w.type)));
const stale = readdirSync('processes/element-templates').map((f) => `processes/element-templates/${f}`).filter((f) => !current.has(f));
for (const file of stale) unlinkSync(file);
process.stdout.write(`Wrote ${workers.length} element templates to processes/element-templates/${stale.length > 0 ? `, removed ${stale.join(', ')}` : ''}\n`);
