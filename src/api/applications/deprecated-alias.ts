/**
 * Until version 0.1 this API named the process instance id `processInstanceKey`, Zeebe's word. Clients may read
 * it, so for one more version every answer that carries `processInstanceId` also carries the old name with the
 * same value; API v2 drops it. This module is the only place that spells the old name.
 */
import { z } from 'zod';

export const deprecatedInstanceKey = {
  processInstanceKey: z
    .string()
    .nullable()
    .describe('Deprecated: the same value as processInstanceId, kept for one version; removed in API v2.'),
};

export type WithDeprecatedInstanceKey<T> = T & { processInstanceKey: string | null };

export function withDeprecatedInstanceKey<T extends { processInstanceId: string | null }>(
  body: T,
): WithDeprecatedInstanceKey<T> {
  return { ...body, processInstanceKey: body.processInstanceId };
}
