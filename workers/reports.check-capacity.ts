/**
 * Forecasts each jobcenter's first-consultation capacity and warns the team lead of a shortfall within the next
 * 10 working days, once per team and week (the outbox's dedup key). capacity-check, started daily by its timer.
 */
import { z } from 'zod';

import { capacityForecast, warnOfShortfalls } from '../src/reports/capacity.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  topic: 'reports.check-capacity',
  description: 'Forecasts the consultations against the released slots and warns team leads of a coming shortfall.',
  input: z.object({}),
  output: z.object({ shortfallWarnings: z.number().int().nonnegative() }),
  errors: [],
  async handler(_input, { deps }) {
    let warnings = 0;
    for (const settings of deps.jobcenters.values()) {
      const calendar = deps.calendars.of(settings.id);
      // A jobcenter without ATV settings books no first consultations through us: nothing to forecast.
      if (!calendar || !settings.atv) continue;
      const forecast = await capacityForecast(deps.store.db, settings, calendar, deps.now());
      warnings += (await warnOfShortfalls(deps.store.db, settings, forecast, calendar)).length;
    }
    return { shortfallWarnings: warnings };
  },
});
