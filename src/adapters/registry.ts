/**
 * The adapters a jobcenter.json may name, by agency system: `"adapters": { "atv": "store" }`. A jobcenter with a
 * connector of its own adds it here under a name of its choosing (docs/adapters.md); `store` is the default.
 */
import type { Calendars } from '../calendar/calendars.js';
import type { AdapterChoice, AgencySystem, JobcenterSettings } from '../config/jobcenter.js';
import type { Store } from '../store/index.js';
import { StoreAllegro } from './allegro/store-allegro.js';
import { StoreAtv } from './atv/store-atv.js';
import { StoreEAkte } from './eakte/store-eakte.js';
import { StoreFmg } from './fmg/store-fmg.js';
import type { AdapterContext, Adapters, AgencySystems } from './index.js';
import { StoreVerbis } from './verbis/store-verbis.js';

export type AdapterFactory<S extends AgencySystem> = (ctx: AdapterContext) => Adapters[S];

export type AdapterRegistry = { readonly [S in AgencySystem]: Readonly<Record<string, AdapterFactory<S>>> };

export const ADAPTERS: AdapterRegistry = {
  verbis: { store: (ctx) => new StoreVerbis(ctx) },
  allegro: { store: (ctx) => new StoreAllegro(ctx) },
  atv: { store: (ctx) => new StoreAtv(ctx) },
  eakte: { store: (ctx) => new StoreEAkte(ctx) },
  fmg: { store: (ctx) => new StoreFmg(ctx) },
};

const SYSTEMS = Object.keys(ADAPTERS) as AgencySystem[];

/** The jobcenter.json fields that name an adapter the registry does not have, as "adapters.atv: ...". */
export function unknownAdapters(choice: AdapterChoice, registry: AdapterRegistry = ADAPTERS): string[] {
  return SYSTEMS.filter((system) => !Object.hasOwn(registry[system], choice[system])).map(
    (system) =>
      `adapters.${system}: unknown adapter "${choice[system]}" (registered: ${Object.keys(registry[system]).join(', ')})`,
  );
}

/**
 * Builds every jobcenter's adapters once, at start. A name the registry does not know stops the start with the
 * jobcenter and the field (loadConfig has reported it already when the settings came from processes/).
 */
export function agencySystemsFor(
  deps: { store: Store; calendars: Calendars; jobcenters: ReadonlyMap<string, JobcenterSettings>; now: () => Date },
  registry: AdapterRegistry = ADAPTERS,
): AgencySystems {
  const problems: string[] = [];
  const byJobcenter = new Map<string, Adapters>();
  for (const settings of deps.jobcenters.values()) {
    const unknown = unknownAdapters(settings.adapters, registry);
    const calendar = deps.calendars.of(settings.id);
    if (!calendar) unknown.push('has no calendar');
    if (unknown.length > 0 || !calendar) {
      problems.push(...unknown.map((p) => `jobcenter ${settings.id}: ${p}`));
      continue;
    }
    const ctx: AdapterContext = { settings, calendar, store: deps.store, now: () => deps.now() };
    const make = <S extends AgencySystem>(system: S): Adapters[S] => registry[system][settings.adapters[system]]!(ctx);
    byJobcenter.set(settings.id, {
      verbis: make('verbis'),
      allegro: make('allegro'),
      atv: make('atv'),
      eakte: make('eakte'),
      fmg: make('fmg'),
    });
  }
  if (problems.length > 0) throw new Error(`Adapters cannot be built:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return {
    of(jobcenter) {
      const adapters = byJobcenter.get(jobcenter);
      // A task for a jobcenter without settings is a technical fault, as in settingsOf.
      if (!adapters) throw new Error(`Jobcenter ${jobcenter} has no settings`);
      return adapters;
    },
  };
}
