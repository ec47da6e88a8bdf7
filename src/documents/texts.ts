/** The letters' wording, in German as the jobcenter writes it; one function per letter, data in, paragraphs out. */

export function coverLetter(p: { jobcenter: string; applicationDate: string; documentsReturnDate: string }): string[] {
  return [
    `${p.jobcenter} – Ihr Antrag auf Leistungen nach dem SGB II vom ${de(p.applicationDate)}`,
    'Sehr geehrte Damen und Herren,',
    'anbei erhalten Sie die Antragsunterlagen und die für Ihre Lebenssituation nötigen Zusatzblätter.',
    `Wir erwarten den Eingang Ihrer Antragsunterlagen bis zum ${de(p.documentsReturnDate)}.`,
    'Sie können die Unterlagen per Post, über den Hausbriefkasten oder über jobcenter.digital einreichen.',
    'Mit freundlichen Grüßen\nIhr Jobcenter',
  ];
}

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

export function arbeitspaket(p: { kdNumber: string; returnDate: string }): string[] {
  return [
    `Arbeitspaket SGB II für Kunde ${p.kdNumber}`,
    'Bitte füllen Sie das Arbeitspaket vollständig aus (Lebenslauf, berufliche Kenntnisse, Ziele).',
    `Rückgabetermin: ${de(p.returnDate)}. Die Eingangszone erfasst Ihre Angaben vor Ihrem Erstgespräch.`,
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

export function invitation(p: { kdNumber: string; startsAt: string; caseworker: string }): string[] {
  return [
    `Einladung zum Erstgespräch (Kunde ${p.kdNumber})`,
    `Bitte kommen Sie am ${deTime(p.startsAt)} zu einem Gespräch über Ihre berufliche Situation zu ${p.caseworker}.`,
    'Rechtsfolgenbelehrung: Kommen Sie ohne wichtigen Grund dieser Einladung nicht nach, wird das Bürgergeld nach § 32 SGB II gemindert. ' +
      'Ein wichtiger Grund ist nachzuweisen, z. B. durch eine Arbeitsunfähigkeitsbescheinigung.',
  ];
}

export function phoneNote(p: { kdNumber: string; startsAt: string }): string {
  return `Telefonischer Hinweis an Kunde ${p.kdNumber} zum vereinbarten Erstgespräch am ${deTime(p.startsAt)} (besonderer Fall, keine schriftliche Einladung).`;
}

export function forwardingNote(p: { jobcenter: string; evidence: string | null }): string[] {
  return [
    'Abgabenachricht: Jobcenter nicht zuständig',
    `Die Prüfung der Zuständigkeit bei Zuzug (${p.evidence ?? 'Ausweisdokument, Mietvertrag oder Meldebescheinigung'}) hat ergeben, dass ${p.jobcenter} nicht zuständig ist.`,
    'Der Antrag wird an das zuständige Jobcenter weitergeleitet; der Antrag gilt dort als am ursprünglichen Tag gestellt (§ 16 Abs. 2 SGB I).',
  ];
}

export function de(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

export function deTime(instant: string): string {
  const f = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' });
  return `${f.format(new Date(instant))} Uhr`;
}
