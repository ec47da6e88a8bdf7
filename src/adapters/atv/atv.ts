/**
 * ATV: the appointment calendar. Caseworkers release windows for first consultations (the jobcenter's settings
 * `atv.releasedWindows` and `atv.slotMinutes`) and enter absences; appointments are booked into free slots.
 * `store-atv.ts` keeps the appointments and absences in our store; a connector implements the same.
 */

export interface Appointment {
  id: string;
  caseworkerId: string;
  /** ISO instants (UTC). */
  startsAt: string;
  endsAt: string;
}

/** What an appointment is for: one per application, person and kind (`first-consultation`, `lg-submission`, ...). */
export interface AppointmentPurpose {
  applicationId: string;
  personId: string;
  kind: string;
}

export interface SlotRequest extends AppointmentPurpose {
  caseworkerId: string;
  /** Who booked: `system`, `deputy`. */
  bookedBy: string;
}

/** The slot is booked already (by another purpose); the caller chooses another. */
export class SlotTakenError extends Error {
  constructor(
    readonly caseworkerId: string,
    readonly startsAt: string,
  ) {
    super(`The slot ${startsAt} of ${caseworkerId} is already booked`);
    this.name = 'SlotTakenError';
  }
}

export interface Atv {
  /** The appointment booked for this purpose, if any. */
  bookingFor(purpose: AppointmentPurpose): Promise<Appointment | undefined>;

  /**
   * Books the caseworker's first free slot in the released windows, on a working day, after now, outside the
   * caseworker's absences and not after the due date (a local date, inclusive). A purpose booked already returns
   * that appointment; no slot is ever booked twice, however many bookings run at once. Undefined when no slot is free.
   */
  bookFirstFreeSlot(request: SlotRequest & { dueDate: string }): Promise<Appointment | undefined>;

  /**
   * Books the slot starting at `startsAt` (a deputy's choice: any time, one slot long). Throws SlotTakenError when
   * another appointment holds that slot.
   */
  bookSlot(request: SlotRequest & { startsAt: Date }): Promise<Appointment>;
}
