/** The Kundensteuerung DMN evaluated by the real engine: the IFK's recommendation, age band and measure. */
import { describe, expect, it } from '@jest/globals';

import { RestEngineGateway } from '../../src/engine/gateway.js';
import { configuredEngine } from '../support/engine.js';
import { integrationEnv } from './engine-env.js';

const engine = new RestEngineGateway(configuredEngine(integrationEnv).client);

describe('DMN kundensteuerung on the engine', () => {
  it.each([
    [
      {
        steuerungsempfehlung: 'REHA_SB',
        alterUnter25: false,
        integrationsprognose: 'BIS_6_MONATE',
        massnahmeEmpfohlen: false,
      },
      'REHA_SB',
    ],
    [
      {
        steuerungsempfehlung: 'START_KLAR',
        alterUnter25: true,
        integrationsprognose: 'BIS_6_MONATE',
        massnahmeEmpfohlen: false,
      },
      'START_KLAR',
    ],
    [
      {
        steuerungsempfehlung: 'START_KLAR',
        alterUnter25: false,
        integrationsprognose: 'BIS_6_MONATE',
        massnahmeEmpfohlen: false,
      },
      'VERBLEIB',
    ],
    [
      {
        steuerungsempfehlung: 'VERBLEIB',
        alterUnter25: false,
        integrationsprognose: 'UEBER_12_MONATE',
        massnahmeEmpfohlen: true,
      },
      'MASSNAHMEBETRIEB',
    ],
    [
      {
        steuerungsempfehlung: 'MASSNAHMEBETRIEB',
        alterUnter25: false,
        integrationsprognose: 'BIS_6_MONATE',
        massnahmeEmpfohlen: false,
      },
      'MASSNAHMEBETRIEB',
    ],
    [
      { steuerungsempfehlung: null, alterUnter25: null, integrationsprognose: null, massnahmeEmpfohlen: null },
      'VERBLEIB',
    ],
  ])('%j -> %s', async (facts, routing) => {
    expect(await engine.evaluateDecision('kundensteuerung', facts)).toBe(routing);
  });
});
