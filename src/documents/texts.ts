/**
 * The wording of the enclosures and notes that have no template yet (forms list, checklist, leaflet, Wuppertal's
 * hand-out, the phone note) and the date formats of the letters. The business letters' wording
 * is each jobcenter's template in processes/<jobcenter>/letters/ (templates.ts).
 */

/** Forms by situation (seed: maintenance, self-employment income, additional needs). */
export function formsFor(flags: {
  selfEmployed?: boolean | null;
  maintenance?: boolean | null;
  additionalNeeds?: boolean | null;
}): string[] {
  const forms = [
    'Hauptantrag SGB II',
    'Anlage WEP (weitere Personen)',
    'Anlage KdU (Kosten der Unterkunft)',
    'Anlage VM (Vermögen)',
  ];
  if (flags.selfEmployed) forms.push('Anlage EKS (Einkommen aus selbständiger Tätigkeit)');
  if (flags.maintenance) forms.push('Anlage UH (Unterhalt)');
  if (flags.additionalNeeds) forms.push('Anlage MEB (Mehrbedarfe)');
  return forms;
}

export function checklist(forms: string[], missing: string[]): string[] {
  return [
    'Checkliste zur Antragsabgabe – bitte noch beibringen (angekreuzt):',
    ...forms.map((f) => `[${missing.includes(f) ? 'x' : ' '}] ${f}`),
    '[x] Personalausweis oder Pass aller Mitglieder der Bedarfsgemeinschaft (Kopie)',
    '[x] Kontoauszüge der letzten drei Monate',
    '[x] Mietvertrag und aktuelle Nebenkostenabrechnung',
  ];
}

export const LEAFLET = [
  'Merkblatt „Arbeitslosengeld II/Sozialgeld“ (Bürgergeld) – ausgehändigt mit dem Antrag.',
  'Hinweise zu jobcenter.digital, zu Ihren Rechten und Pflichten und zu aktuellen Terminen.',
];

/** Wuppertal's hand-out at the front desk (seed 002, 2.1). */
export const WUPPERTAL_HANDOUT = 'wuppertal-antragsausgabe';

export function wuppertalHandout(jobcenter: string): [kind: string, title: string, paragraphs: string[]][] {
  return [
    [
      'merkblatt-sgb2',
      'Merkblatt SGB II',
      [
        `${jobcenter}: Merkblatt Bürgergeld/Grundsicherung für Arbeitsuchende – ausgehändigt mit den Antragsunterlagen.`,
      ],
    ],
    [
      'infoschreiben-dsgvo',
      'Infoschreiben DSGVO',
      ['Informationen zur Verarbeitung Ihrer personenbezogenen Daten nach Art. 13 und 14 DSGVO.'],
    ],
    [
      'fragebogen-migration',
      'Fragebogen zum Migrationshintergrund',
      ['Fragebogen zur Erhebung des Migrationshintergrundes (§ 281 Abs. 2 SGB III); die Angaben sind freiwillig.'],
    ],
  ];
}

export function phoneNote(p: { kdNumber: string; startsAt: string }): string {
  return `Telefonischer Hinweis an Kunde ${p.kdNumber} zum vereinbarten Erstgespräch am ${deTime(p.startsAt)} (besonderer Fall, keine schriftliche Einladung).`;
}

export function de(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

/** An appointment's weekday, date and time in Berlin, as the invitation's placeholders take them. */
export function appointmentParts(instant: string): { wochentag: string; datum: string; uhrzeit: string } {
  const at = new Date(instant);
  const part = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', ...o });
  return {
    wochentag: part({ weekday: 'long' }).format(at),
    datum: part({ day: '2-digit', month: '2-digit', year: 'numeric' }).format(at),
    uhrzeit: part({ hour: '2-digit', minute: '2-digit', hour12: false }).format(at),
  };
}

export function deTime(instant: string): string {
  const f = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' });
  return `${f.format(new Date(instant))} Uhr`;
}
