/** `npm run templates`: writes processes/element-templates/<type>.json for every registered worker. */
import { writeFileSync } from 'node:fs';
import { workers } from '../../workers/index.js';
import { elementTemplate, templateFile } from './element-templates.js';
import { filesUnder, readBpmn } from './load.js';

const summaries = await Promise.all(filesUnder('processes', '.bpmn').map((f) => readBpmn(f)));
for (const worker of workers) {
  const use = summaries.flatMap((s) => s.jobTypes).find((j) => j.type === worker.type);
  const name = use?.name ?? worker.type;
  writeFileSync(templateFile(worker.type), `${JSON.stringify(elementTemplate(worker, name), null, 2)}\n`);
}
process.stdout.write(`Wrote ${workers.length} element templates to processes/element-templates/\n`);
