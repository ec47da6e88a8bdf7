/** The working-day calendar of German jobcenters: which days count, due dates, and their instants in Europe/Berlin. */
export { GERMAN_STATES, type GermanState } from './states.js';
export { isIsoDate, type IsoDate } from './day-number.js';
export { CalendarInputError } from './errors.js';
export { berlinDate } from './berlin-time.js';
export { createCalendar, type CalendarOptions, type WorkingDayCalendar } from './working-day-calendar.js';
