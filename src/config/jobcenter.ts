/** The per-jobcenter settings (processes/<jobcenter>/jobcenter.json): calendar state, deadlines, staff, booking windows, adapters. */
import { z } from 'zod';

import { GERMAN_STATES, regionsOf } from '../calendar/index.js';
import { IsoDate } from '../calendar/iso-date-schema.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');

export const StaffMember = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  email: z.string().email(),
});

export const Caseworker = StaffMember.extend({
  team: z.string().min(1),
  /** The caseworker's office as an invitation names it ("Haus 2, Zimmer 114"); without it the letter names the jobcenter's address. */
  room: z.string().min(1).optional(),
  /** The caseworker's direct phone line for the letters; without it the jobcenter's number. */
  phone: z.string().min(1).optional(),
  /** Surname range the caseworker is main caseworker for, inclusive, compared on the first letters. */
  surnameFrom: z.string().min(1).optional(),
  surnameTo: z.string().min(1).optional(),
  virtual: z.boolean().default(false),
});

export const Team = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  mailbox: z.string().email().optional(),
  lead: StaffMember.optional(),
  ageBand: z.enum(['U25', 'Ü25', 'ALL']).default('ALL'),
});

export const ReleasedWindow = z
  .object({ weekday: z.number().int().min(1).max(7), from: hhmm, to: hhmm })
  .refine((w) => w.from < w.to, { message: 'from must be before to', path: ['to'] });

/** The name of an implementation in src/adapters/registry.ts; `store` (our own store) when absent. */
const adapterName = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'must be the lowercase name of an adapter in src/adapters/registry.ts')
  .default('store');

/**
 * Which implementation of each agency system the jobcenter uses (docs/adapters.md). A system left out uses `store`;
 * a system we have no adapter for is refused, and so is a name the registry does not know (src/config/load.ts).
 */
export const AdapterChoice = z.strictObject({
  verbis: adapterName,
  allegro: adapterName,
  atv: adapterName,
  eakte: adapterName,
  fmg: adapterName,
});

/**
 * What a letter shows of the jobcenter (DIN 5008 form B): the letterhead, the return line above the window, the
 * contact block and the opening hours in the footer. The letters' wording lives in `letters/*.txt` beside it.
 */
export const Letterhead = z.strictObject({
  /** The sender as the letterhead names it, e.g. "Jobcenter Cottbus". */
  name: z.string().min(1),
  /** A second letterhead line, e.g. the office or branch ("Eingangszone"). Default none. */
  unit: z.string().min(1).optional(),
  /** Street and number of the office. */
  street: z.string().min(1),
  postcode: z.string().regex(/^[0-9]{5}$/, 'must be a German postcode of 5 digits'),
  city: z.string().min(1),
  /** The phone number letters give (Servicecenter). */
  phone: z.string().min(1),
  email: z.string().email().optional(),
  web: z.string().min(1).optional(),
  /** Opening hours, one line each, as the footer prints them ("Mo, Di, Do 08:00–12:00 Uhr"). */
  openingHours: z.array(z.string().min(1)).min(1),
  /** The return line above the address (Rücksendeangabe); name, street, postcode and city when absent. */
  returnLine: z.string().min(1).optional(),
  /** The line under "Mit freundlichen Grüßen"; the jobcenter's name when absent. */
  signature: z.string().min(1).optional(),
});

/** A local holiday on the same day every year, e.g. { "name": "Augsburger Friedensfest", "month": 8, "day": 8 }. */
export const LocalHoliday = z
  .strictObject({
    /** The holiday's name as staff know it. */
    name: z.string().min(1),
    /** Month, 1 to 12. */
    month: z.number().int().min(1).max(12),
    /** Day of the month; 29 February counts in leap years only. */
    day: z.number().int().min(1).max(31),
  })
  .superRefine((h, ctx) => {
    if (h.day > new Date(Date.UTC(2000, h.month, 0)).getUTCDate())
      ctx.addIssue({ code: 'custom', path: ['day'], message: `${h.day}.${h.month}. is no day of the year` });
  });

/** A Wuppertal branch (GST): its BI team, the virtual worker new cases wait on, experts and the day's F-IFK rota. */
export const Branch = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  biTeam: z.string().min(1),
  virtualWorker: z.object({ id: z.string().min(1), name: z.string().min(1) }),
  experts: z.object({ bi: StaffMember, lg: StaffMember }),
  mailboxes: z.record(z.string(), z.string().email()).default({}),
  fIfkRota: z.array(z.object({ weekday: z.number().int().min(1).max(7), caseworkerId: z.string().min(1) })).min(1),
});

export const JobcenterSettings = z
  .object({
    /** The jobcenter's id, equal to its folder name; the engine tenant, token binding and URLs use it. */
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a lowercase slug'),
    /** The name staff and letters use, e.g. "Jobcenter Leipzig". */
    name: z.string().min(1),
    /** The state whose statutory holidays count (date-holidays code: BB, SN, TH, ...). */
    state: z.enum(GERMAN_STATES),
    timeZone: z.literal('Europe/Berlin').default('Europe/Berlin'),
    /** The process model the jobcenter runs: a process id deployed from processes/ (neukunde-cottbus, quer-wuppertal). */
    processId: z.string().min(1),
    /** One-off closing days on top of the holidays (24.12, a staff outing), YYYY-MM-DD. Default none. */
    extraClosingDays: z.array(IsoDate).default([]),
    /**
     * A region date-holidays knows inside the state whose public holidays also apply (BY "A": Augsburg with the
     * Friedensfest and Mariä Himmelfahrt; TH "EIC": Eichsfeld with Fronleichnam). Default none: the state's only.
     */
    holidayRegion: z.string().min(1).optional(),
    /** Local holidays on the same day every year that no region of date-holidays covers. Default none. */
    localHolidays: z.array(LocalHoliday).default([]),
    /** Working days per deadline the process model reads (firstConsultationWorkingDays, querWorkingDays, ...). */
    deadlines: z.record(z.string(), z.number().int().min(0).max(60)).default({}),
    atv: z
      .object({ slotMinutes: z.number().int().min(5).max(240), releasedWindows: z.array(ReleasedWindow).min(1) })
      .optional(),
    roles: z.record(z.string(), StaffMember).default({}),
    /** Shared mailboxes by group (EZ, SC, LG...), the addresses of "group:<id>" recipients. */
    mailboxes: z.record(z.string(), z.string().email()).default({}),
    teams: z.array(Team).default([]),
    caseworkers: z.array(Caseworker).default([]),
    branches: z.array(Branch).default([]),
    /** Routing result of the Kundensteuerung DMN -> team id. */
    specialTeams: z.record(z.string(), z.string()).default({}),
    adapters: AdapterChoice.prefault({}),
    /** Letterhead, return line, contact and opening hours of the letters; without it only the name heads them. */
    letters: Letterhead.optional(),
    /** Set by the loader, not written in jobcenter.json: the jobcenter's folder, whose `letters/` holds its letter templates. */
    folder: z.string().min(1).optional(),
  })
  .passthrough()
  .superRefine((s, ctx) => {
    if (s.holidayRegion !== undefined && !(s.holidayRegion in regionsOf(s.state))) {
      const known = Object.entries(regionsOf(s.state)).map(([code, name]) => `${code} (${name})`);
      ctx.addIssue({
        code: 'custom',
        path: ['holidayRegion'],
        message: `unknown region "${s.holidayRegion}" of ${s.state} (known: ${known.length ? known.join(', ') : 'none'})`,
      });
    }
    const teamIds = new Set(s.teams.map((t) => t.id));
    s.caseworkers.forEach((c, i) => {
      if (teamIds.size && !teamIds.has(c.team)) {
        ctx.addIssue({ code: 'custom', path: ['caseworkers', i, 'team'], message: `unknown team "${c.team}"` });
      }
    });
  });

export type JobcenterSettings = z.infer<typeof JobcenterSettings>;
export type Caseworker = z.infer<typeof Caseworker>;
export type StaffMember = z.infer<typeof StaffMember>;
export type Branch = z.infer<typeof Branch>;
export type Letterhead = z.infer<typeof Letterhead>;
export type AdapterChoice = z.infer<typeof AdapterChoice>;
/** An agency system a jobcenter chooses an adapter for: verbis, allegro, atv, eakte, fmg. */
export type AgencySystem = keyof AdapterChoice;
