/** The working-day calendar of German jobcenters: which days count, due dates, and their instants in Europe/Berlin. */
export { berlinDate } from './berlin-time.js';
export { isIsoDate, type IsoDate } from './day-number.js';
export { CalendarInputError } from './errors.js';
export { type LocalHoliday, regionsOf } from './holidays.js';
export { GERMAN_STATES, type GermanState } from './states.js';
export { type CalendarOptions, createCalendar, type WorkingDayCalendar } from './working-day-calendar.js';
