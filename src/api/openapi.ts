/** The OpenAPI document is generated from the same zod schemas the routes validate with. */
import { extendZodWithOpenApi, OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  return registry;
}

export function openApiDocument(registry: OpenAPIRegistry): unknown {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Jobcenter process orchestrator API',
      version: '1',
      description: 'Intake of new applicants and their first consultations, run as BPMN processes on Operaton.',
    },
    security: [{ bearer: [] }],
  });
}

export type { OpenAPIRegistry };
