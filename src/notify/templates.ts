/** The wording of every notification the diagrams send (extension property `template`); staff-facing, German, no customer names. */
import { de, deTime } from '../documents/texts.js';

export interface TemplateData {
  applicationId: string;
  /** The Vorgangsnummer staff search by (CO-2026-00042); instances started before it existed have none. */
  caseNumber?: string | null;
  kdNumber?: string | null;
  personId?: string | null;
  appointmentStartsAt?: string | null;
  mdsDueDate?: string | null;
  decisionDueDate?: string | null;
  documentsReturnDate?: string | null;
  arbeitspaketReturnDate?: string | null;
  querDueDate?: string | null;
  memberDueDate?: string | null;
  calculationProtocolRef?: string | null;
  fundingKind?: string | null;
}

type Template = (d: TemplateData) => { subject: string; body: string };

/** The case as staff find it in the workspace: its Vorgangsnummer, the application id only for older instances. */
const ref = (d: TemplateData) => (d.caseNumber ? `Vorgang ${d.caseNumber}` : `Antrag ${d.applicationId}`);
const who = (d: TemplateData) => (d.kdNumber ? `Kunde ${d.kdNumber}, ${ref(d)}` : ref(d));
const day = (d?: string | null) => (d ? de(d) : 'unbekannt');

export const TEMPLATES: Record<string, Template> = {
  'no-slot-ticket': (d) => ({
    subject: `Ticket: Terminvergabe Erstgespräch im Rahmen der Vertretung (${who(d)})`,
    body: `Beim zuständigen Vermittler ist bis zum MDS-Termin ${day(d.mdsDueDate)} kein freigegebener Termin in ATV frei. Bitte den Termin im Rahmen der Vertretung vergeben (Aufgabe in Tasklist).`,
  }),
  'mds-reminder': (d) => ({
    subject: `Erinnerung: Erstberatung bis ${day(d.mdsDueDate)} (${who(d)})`,
    body: `Die Erstberatung mit Profiling muss bis ${day(d.mdsDueDate)} durchgeführt sein (MDS 15 Arbeitstage).${d.appointmentStartsAt ? ` Gebuchter Termin: ${deTime(d.appointmentStartsAt)}.` : ''}`,
  }),
  'mds-breach': (d) => ({
    subject: `MDS verfehlt: Erstberatung nicht bis ${day(d.mdsDueDate)} (${who(d)})`,
    body: `Die Erstberatung mit Profiling wurde nicht innerhalb von 15 Arbeitstagen ab Antragstellung durchgeführt. Der Fall bleibt offen; bitte kurzfristig nachholen.`,
  }),
  'arbeitspaket-reminder': (d) => ({
    subject: `Arbeitspaket nicht zurück (${who(d)})`,
    body: `Der Rückgabetermin ${day(d.arbeitspaketReturnDate)} ist verstrichen. Bitte den Rücklauf nachhalten; die Dateneingabe soll vor dem Erstgespräch erfolgen.`,
  }),
  'documents-reminder': (d) => ({
    subject: `Antragsunterlagen nicht eingegangen (${ref(d)})`,
    body: `Die im Anschreiben genannte Frist ${day(d.documentsReturnDate)} ist verstrichen, ohne dass die Antragsunterlagen vollständig vorliegen.`,
  }),
  'decision-reminder': (d) => ({
    subject: `Erinnerung: Entscheidung bis ${day(d.decisionDueDate)} (${ref(d)})`,
    body: `Der Erstantrag ist nach MDS innerhalb von 14 Arbeitstagen ab Vorliegen der vollständigen Unterlagen zu entscheiden: bis ${day(d.decisionDueDate)}.`,
  }),
  'decision-breach': (d) => ({
    subject: `MDS verfehlt: keine Entscheidung bis ${day(d.decisionDueDate)} (${ref(d)})`,
    body: 'Über den Erstantrag wurde nicht innerhalb von 14 Arbeitstagen ab Vorliegen der vollständigen Unterlagen entschieden.',
  }),
  'quer-reminder': (d) => ({
    subject: `Erinnerung: QuEr bis ${day(d.querDueDate)} (${who(d)})`,
    body: `Das qualifizierte Erstgespräch ist innerhalb von 10 Arbeitstagen nach der Bewilligung dem Grunde nach durchzuführen: bis ${day(d.querDueDate)}.`,
  }),
  'quer-breach': (d) => ({
    subject: `QuEr-Frist verfehlt (${who(d)})`,
    body: `Das QuEr wurde nicht bis ${day(d.querDueDate)} durchgeführt. Bitte kurzfristig nachholen.`,
  }),
  'member-reminder': (d) => ({
    subject: `Erinnerung: Erstgespräch BG-Mitglied bis ${day(d.memberDueDate)} (${who(d)})`,
    body: `Das Erstgespräch ist innerhalb der ersten 10 Arbeitstage des Folgemonats durchzuführen: bis ${day(d.memberDueDate)}.`,
  }),
  'member-breach': (d) => ({
    subject: `Frist Erstgespräch BG-Mitglied verfehlt (${who(d)})`,
    body: `Das Erstgespräch wurde nicht bis ${day(d.memberDueDate)} durchgeführt.`,
  }),
  'd3-approval-to-bi': (d) => ({
    subject: `d.3: Antrag dem Grunde nach bewilligungsfähig (${ref(d)})`,
    body: 'Die LG hat den Antrag dem Grunde nach freigegeben. Bitte den Haushaltsvorstand vom virtuellen Mitarbeiter auf die zuständige IFK umstellen. Berechnungsprotokoll aus LMG anbei.',
  }),
  'd3-reassigned-to-ifk': (d) => ({
    subject: `d.3: Neuer Fall für das QuEr (${who(d)})`,
    body: `Der Haushaltsvorstand wurde vom virtuellen Mitarbeiter auf Sie umgestellt. Das QuEr ist bis ${day(d.querDueDate)} durchzuführen (10 Arbeitstage nach Bewilligung dem Grunde nach).`,
  }),
  'funding-request': (d) => ({
    subject: `Aktive Förderleistung vor Entscheidung beantragt (${who(d)})`,
    body: `Beantragt: ${d.fundingKind ?? 'Förderleistung'} (z. B. Vermittlungsbudget § 44 SGB III). Bitte kurzfristigen Termin zur Klärung vereinbaren.`,
  }),
};

export class UnknownTemplateError extends Error {}

export function render(name: string, data: TemplateData): { subject: string; body: string } {
  const t = TEMPLATES[name];
  if (!t)
    throw new UnknownTemplateError(
      `unknown notification template "${name}" (known: ${Object.keys(TEMPLATES).join(', ')})`,
    );
  return t(data);
}
