/**
 * Deploys every BPMN, DMN and Camunda Form under processes/ as one deployment with duplicate filtering: an
 * unchanged file makes no new version, a changed one a new version of just that file. A refusal names the file
 * and carries the engine's own message (line and element where the engine gives them).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { Logger } from 'winston';

import { filesUnder } from '../processes/load.js';
import { EngineRequestError, type EngineRestClient } from './rest-client.js';

export class DeploymentError extends Error {}

export const DEPLOYMENT_NAME = 'jobcenter-orchestrator';

const EXTENSIONS = ['.dmn', '.form', '.bpmn'];

/** Element templates and jobcenter settings are for Modeler and for us, not for the engine. */
export function deployableFiles(root: string): string[] {
  return EXTENSIONS.flatMap((extension) => filesUnder(root, extension));
}

interface ParseDetails {
  details?: Record<string, { errors?: { message: string; line?: number; column?: number; mainElementId?: string }[] }>;
}

function describeRefusal(e: EngineRequestError, resourceFile: (name: string) => string): string {
  const details = (e.body as ParseDetails | undefined)?.details;
  if (!details) return e.message;
  return Object.entries(details)
    .flatMap(([resource, { errors = [] }]) =>
      errors.map(
        (err) =>
          `${resourceFile(resource)}${err.line ? `:${err.line}` : ''}${err.mainElementId ? ` (${err.mainElementId})` : ''}: ${err.message}`,
      ),
    )
    .join('\n');
}

/** Deploys the files under each root (processes/, and in tests their fixtures) as one deployment. */
export async function deployAll(
  client: EngineRestClient,
  roots: string | string[],
  log: Logger,
  name = DEPLOYMENT_NAME,
): Promise<string[]> {
  const files = (Array.isArray(roots) ? roots : [roots]).flatMap((root) =>
    deployableFiles(root).map((file) => ({ root, file })),
  );
  // The resource name is the path inside its root, so two jobcenters may both have a neukunde.bpmn.
  const resources = files.map(({ root, file }) => ({
    name: path.relative(root, file).split(path.sep).join('/'),
    file,
  }));
  const byName = new Map(resources.map((r) => [r.name, r.file]));
  try {
    const deployment = await client.deploy(
      name,
      resources.map((r) => ({ name: r.name, content: readFileSync(r.file) })),
    );
    const changed = Object.keys(deployment.deployedProcessDefinitions ?? {}).length;
    log.info(
      `Deployed ${resources.length} files from ${[...new Set(files.map((f) => f.root))].join(', ')} (${changed ? `${changed} new process versions` : 'no process changed'})`,
    );
  } catch (e) {
    if (e instanceof EngineRequestError) {
      throw new DeploymentError(`The engine refused the deployment:\n${describeRefusal(e, (n) => byName.get(n) ?? n)}`);
    }
    throw e;
  }
  return files.map((f) => f.file);
}
