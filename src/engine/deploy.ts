/**
 * Deploys every BPMN, DMN and form under processes/ to the engine, one resource at a time so a failure
 * names its file and carries the engine's own message. Decisions and forms go first: diagrams link to them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'winston';
import { filesUnder } from '../processes/load.js';
import { EngineRequestError, type EngineRestClient } from './rest-client.js';

export class DeploymentError extends Error {}

const ORDER = ['.dmn', '.form', '.bpmn'];

/** Decisions and forms first, then diagrams; element templates are for Modeler, not the engine. */
export function deployableFiles(root: string): string[] {
  return ORDER.flatMap((extension) => filesUnder(root, extension));
}

export async function deployAll(client: EngineRestClient, root: string, log: Logger): Promise<string[]> {
  const files = deployableFiles(root);
  for (const [i, file] of files.entries()) {
    try {
      await client.deploy(path.basename(file), readFileSync(file, 'utf8'));
      log.info(`Deployed ${i + 1}/${files.length}: ${file}`);
    } catch (e) {
      const detail = e instanceof EngineRequestError ? e.message : (e as Error).message;
      throw new DeploymentError(`Deploying ${file} failed: ${detail}`);
    }
  }
  return files;
}
