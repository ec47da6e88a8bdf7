/**
 * An event that meets a worker's concurrent change of the same instance is refused by the engine with an
 * OptimisticLockingException and nothing written; the gateway sends it again instead of answering the client 502.
 */
import { describe, expect, it } from '@jest/globals';

import { CONFLICT_ATTEMPTS, onConflictAgain, RestEngineGateway } from '../../../src/engine/gateway.js';
import { EngineRequestError, type EngineRestClient } from '../../../src/engine/rest-client.js';

const conflict = () =>
  new EngineRequestError(
    500,
    "POST /task/t1/complete answered 500: Cannot complete task t1: ENGINE-03005 Execution of 'UPDATE ExecutionEntity[e1]' failed. Entity was updated by another transaction concurrently.",
    'ProcessEngineException',
  );

describe('events that meet a concurrent change of their instance', () => {
  it('completes the task on the next attempt after the engine refused it for a conflict', async () => {
    let attempts = 0;
    const client = {
      tasks: async () => [{ id: 't1' }],
      async completeTask() {
        attempts++;
        if (attempts < 3) throw conflict();
      },
    } as unknown as EngineRestClient;
    await expect(new RestEngineGateway(client).completeUserTask('pi', 'UserTask_Arbeitspaket', {})).resolves.toBe(
      'completed',
    );
    expect(attempts).toBe(3);
  });

  it('correlates a message again after a conflict', async () => {
    let attempts = 0;
    const client = {
      async correlateMessage() {
        attempts++;
        if (attempts === 1) throw conflict();
      },
    } as unknown as EngineRestClient;
    await expect(new RestEngineGateway(client).correlateMessage('pi', 'documents-complete', {})).resolves.toBe(
      'completed',
    );
    expect(attempts).toBe(2);
  });

  it(`gives up after ${CONFLICT_ATTEMPTS} conflicts, and never repeats another refusal`, async () => {
    let conflicts = 0;
    await expect(
      onConflictAgain(
        () => {
          conflicts++;
          return Promise.reject(conflict());
        },
        () => 0,
      ),
    ).rejects.toThrow(/ENGINE-03005/);
    expect(conflicts).toBe(CONFLICT_ATTEMPTS);

    let refusals = 0;
    await expect(
      onConflictAgain(
        () => {
          refusals++;
          return Promise.reject(new EngineRequestError(400, 'variable missing', 'InvalidRequestException'));
        },
        () => 0,
      ),
    ).rejects.toThrow('variable missing');
    expect(refusals).toBe(1);
  });
});
