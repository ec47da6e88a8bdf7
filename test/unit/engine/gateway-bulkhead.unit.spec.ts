/**
 * The API's engine gateway holds at most ENGINE_CALLS_AT_ONCE calls at the engine; a burst beyond that waits
 * in arrival order and every call is made once. The REST client is replaced by one that counts the calls it holds.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, it } from '@jest/globals';

import { ENGINE_CALLS_AT_ONCE, RestEngineGateway } from '../../../src/engine/gateway.js';
import type { EngineRestClient } from '../../../src/engine/rest-client.js';

describe('RestEngineGateway in a burst of calls', () => {
  it(`has at most ${ENGINE_CALLS_AT_ONCE} start calls at the engine at once, starts each once, first come first served`, async () => {
    let inside = 0;
    let most = 0;
    const order: string[] = [];
    const client = {
      async startProcess(_key: string, businessKey: string) {
        inside++;
        most = Math.max(most, inside);
        order.push(businessKey);
        await sleep(5 + Math.random() * 10);
        inside--;
        return { id: `pi-${businessKey}` };
      },
    } as unknown as EngineRestClient;
    const gateway = new RestEngineGateway(client);
    const keys = Array.from({ length: 100 }, (_, i) => `app-${String(i).padStart(3, '0')}`);
    const ids = await Promise.all(keys.map((k) => gateway.startProcess('p', {}, k)));
    expect(ids).toEqual(keys.map((k) => `pi-${k}`));
    expect(most).toBe(ENGINE_CALLS_AT_ONCE);
    expect(order).toEqual(keys);
  });

  it('frees the place of a start the engine refused', async () => {
    let calls = 0;
    const client = {
      async startProcess(_key: string, businessKey: string) {
        calls++;
        if (businessKey.startsWith('bad')) throw new Error('refused');
        return { id: 'pi' };
      },
    } as unknown as EngineRestClient;
    const gateway = new RestEngineGateway(client, 1);
    await expect(gateway.startProcess('p', {}, 'bad-1')).rejects.toThrow('refused');
    await expect(gateway.startProcess('p', {}, 'bad-2')).rejects.toThrow('refused');
    await expect(gateway.startProcess('p', {}, 'good')).resolves.toBe('pi');
    expect(calls).toBe(3);
  });
});
