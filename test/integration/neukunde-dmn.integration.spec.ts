/** The "Neukunde" DMN evaluated by the real engine, rule by rule (seed 000, section 2). */
import { describe, expect, it } from '@jest/globals';

import { RestEngineGateway } from '../../src/engine/gateway.js';
import { configuredEngine } from '../support/engine.js';
import { integrationEnv } from './engine-env.js';

const engine = new RestEngineGateway(configuredEngine(integrationEnv).client);

describe('DMN neukunde on the engine', () => {
  it.each([
    [
      {
        reached15: false,
        belowAgeLimit: true,
        habitualResidenceInGermany: true,
        firstApplication: true,
        gapDays: null,
        previouslyRejected: false,
      },
      false,
      'UNTER_15',
    ],
    [
      {
        reached15: null,
        belowAgeLimit: true,
        habitualResidenceInGermany: true,
        firstApplication: true,
        gapDays: null,
        previouslyRejected: false,
      },
      false,
      'UNTER_15',
    ],
    [
      {
        reached15: true,
        belowAgeLimit: false,
        habitualResidenceInGermany: true,
        firstApplication: true,
        gapDays: null,
        previouslyRejected: false,
      },
      false,
      'ALTERSGRENZE_7A',
    ],
    [
      {
        reached15: true,
        belowAgeLimit: true,
        habitualResidenceInGermany: false,
        firstApplication: true,
        gapDays: null,
        previouslyRejected: false,
      },
      false,
      'KEIN_GEWOEHNLICHER_AUFENTHALT',
    ],
    [
      {
        reached15: true,
        belowAgeLimit: true,
        habitualResidenceInGermany: true,
        firstApplication: true,
        gapDays: null,
        previouslyRejected: false,
      },
      true,
      'ERSTANTRAG',
    ],
    [
      {
        reached15: true,
        belowAgeLimit: true,
        habitualResidenceInGermany: true,
        firstApplication: false,
        gapDays: 30,
        previouslyRejected: true,
      },
      true,
      'FRUEHER_ABGELEHNT',
    ],
    [
      {
        reached15: true,
        belowAgeLimit: true,
        habitualResidenceInGermany: true,
        firstApplication: false,
        gapDays: 183,
        previouslyRejected: false,
      },
      true,
      'UNTERBRECHUNG_UEBER_182_TAGE',
    ],
    [
      {
        reached15: true,
        belowAgeLimit: true,
        habitualResidenceInGermany: true,
        firstApplication: false,
        gapDays: 182,
        previouslyRejected: false,
      },
      false,
      'LAUFENDER_ODER_KURZ_UNTERBROCHENER_BEZUG',
    ],
    [
      {
        reached15: true,
        belowAgeLimit: true,
        habitualResidenceInGermany: true,
        firstApplication: false,
        gapDays: null,
        previouslyRejected: false,
      },
      false,
      'LAUFENDER_ODER_KURZ_UNTERBROCHENER_BEZUG',
    ],
  ])('%j -> %s %s', async (facts, neukunde, reason) => {
    expect(await engine.evaluateDecision('neukunde', facts)).toEqual({ neukunde, reason });
  });
});
