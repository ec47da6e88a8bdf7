/** `npm run templates`: writes processes/element-templates/<type>.json for every registered worker, and removes templates of workers that are gone. */
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';

import { filesUnder, readBpmn } from '../../src/processes/load.js';
import { workers } from '../../workers/index.js';
import { elementTemplate, propertiesReadBy, templateFile, workerSourceFile } from './element-templates.js';

const summaries = await Promise.all(filesUnder('processes', '.bpmn').map((f) => readBpmn(f)));
for (const worker of workers) {
  const use = summaries.flatMap((s) => s.topicUses).find((j) => j.topic === worker.topic);
  const name = use?.name ?? worker.topic;
  const template = elementTemplate(worker, name, propertiesReadBy(readFileSync(workerSourceFile(worker.topic), 'utf8')));
  writeFileSync(templateFile(worker.topic), `${JSON.stringify(template, null, 2)}\n`);
}
const current = new Set(workers.map((w) => templateFile(w.topic)));
const stale = readdirSync('processes/element-templates').map((f) => `processes/element-templates/${f}`).filter((f) => !current.has(f));
for (const file of stale) unlinkSync(file);
process.stdout.write(`Wrote ${workers.length} element templates to processes/element-templates/${stale.length > 0 ? `, removed ${stale.join(', ')}` : ''}\n`);
