/** The server's check of a completed task form: built from our .form files, in agreement with the API's events. */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { buildValidator, EVENT_OF_FORM, type FormSchema } from '../../../src/workspace/task-form-rules.js';

const form = (name: string) => JSON.parse(readFileSync(`processes/forms/${name}.form`, 'utf8')) as FormSchema;
const idCheck = buildValidator(form('cottbus-id-check'));
const quer = buildValidator(form('wuppertal-quer'));
const firstConsultation = buildValidator(form('cottbus-first-consultation'));
const personId = '2b0f6f8e-2a54-4c1e-9a43-8f3f4f1f0a11';

const validQuer = {
  heldOn: '2026-11-20',
  fmgDatenAktualisiert: true,
  potenzialanalyse: true,
  integrationsprognose: 'BIS_6_MONATE',
  handlungsstrategie: true,
  sofortangebot: true,
  kooperationsplan: true,
  berufsabschluss: 'ja',
  beratungsvermerkErfasst: true,
  offenePunkteVorhanden: false,
  steuerungsempfehlung: 'VERBLEIB',
  massnahmeEmpfohlen: false,
};

describe('task form rules', () => {
  it('passes a complete ID check and types its variables as the form does', () => {
    const r = idCheck.check(
      { identityVerified: true, responsible: true, invitationByPhone: false },
      { relocation: false },
    );
    expect(r).toEqual({
      ok: true,
      variables: {
        identityVerified: true,
        responsible: true,
        registrationFormsCompleted: false,
        digitalHintsGiven: false,
        currentMattersHintGiven: false,
        invitationByPhone: false,
      },
    });
  });

  it('refuses an unchecked required checkbox, naming its label in German', () => {
    const r = idCheck.check({ identityVerified: false, responsible: true }, { relocation: false });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([
      { key: 'identityVerified', message: '„Identität anhand des Ausweisdokuments geprüft“ muss angehakt sein.' },
    ]);
  });

  it('refuses a value of the wrong type', () => {
    const r = idCheck.check({ identityVerified: 'yes' }, { relocation: false });
    expect(!r.ok && r.errors.map((e) => e.key)).toEqual(['identityVerified']);
  });

  it('refuses a key the form does not have, even a process variable', () => {
    const r = idCheck.check({ identityVerified: true, relocation: true }, { relocation: false });
    expect(!r.ok && r.errors).toEqual([
      { key: 'relocation', message: 'Das Feld „relocation“ gehört nicht zu diesem Formular.' },
    ]);
  });

  it('requires a field only while its FEEL condition shows it, and drops it while hidden', () => {
    // Arrange: jurisdictionEvidence is hidden by "=not(relocation)".
    const values = { identityVerified: true, jurisdictionEvidence: 'lease' };
    // Act + Assert: shown with a relocation, required there and checked against its options.
    expect(idCheck.check({ identityVerified: true }, { relocation: true })).toMatchObject({
      ok: false,
      errors: [{ key: 'jurisdictionEvidence', message: '„Zuständigkeit geprüft anhand“ ist ein Pflichtfeld.' }],
    });
    expect(idCheck.check({ ...values, jurisdictionEvidence: 'passport' }, { relocation: true })).toMatchObject({
      ok: false,
      errors: [{ key: 'jurisdictionEvidence' }],
    });
    expect(idCheck.check(values, { relocation: true })).toMatchObject({
      ok: true,
      variables: { jurisdictionEvidence: 'lease' },
    });
    const hidden = idCheck.check(values, { relocation: false });
    expect(hidden.ok && hidden.variables).not.toHaveProperty('jurisdictionEvidence');
    expect(idCheck.check({ identityVerified: true }, { relocation: false }).ok).toBe(true);
  });

  it('reads the conditions of a field on the values sent with it (QuEr without a vocational qualification)', () => {
    expect(quer.check(validQuer, { personId }).ok).toBe(true);
    const without = quer.check({ ...validQuer, berufsabschluss: 'nein' }, { personId });
    expect(!without.ok && without.errors.map((e) => e.key)).toEqual(['ausbildungGeprueft']);
    expect(quer.check({ ...validQuer, berufsabschluss: 'nein', ausbildungGeprueft: true }, { personId }).ok).toBe(true);
  });

  it('checks dates as dates', () => {
    const r = quer.check({ ...validQuer, heldOn: '2026-02-30' }, { personId });
    expect(!r.ok && r.errors).toEqual([
      { key: 'heldOn', message: '„QuEr durchgeführt am“ muss ein gültiges Datum sein.' },
    ]);
  });

  it('names the context it needs: the variables of conditions and texts, never its own fields', () => {
    expect(idCheck.contextNames).toEqual(['relocation', 'personId']);
    expect(quer.contextNames).toEqual(expect.arrayContaining(['querDueDate', 'appointmentStartsAt', 'personId']));
    expect(quer.contextNames).not.toContain('berufsabschluss');
  });

  it('agrees with the API event of the same task: every form linked to an event is checked by its schema', () => {
    // The API refuses a first consultation held without profiling or Kooperationsplan; so does the form.
    const held = {
      heldOn: '2026-11-20',
      consultationMode: 'phone',
      profiling: true,
      kooperationsplan: true,
      rightsAndDutiesExplained: true,
    };
    expect(firstConsultation.check(held, { personId, isU25: false }).ok).toBe(true);
    expect(firstConsultation.check({ ...held, kooperationsplan: false }, { personId, isU25: false }).ok).toBe(false);
    for (const [formId, link] of Object.entries(EVENT_OF_FORM)) {
      expect([formId, link.event]).toEqual([formId, expect.any(String)]);
      expect(() => buildValidator(form(formId))).not.toThrow();
    }
  });

  it('refuses what passes the form but not the event schema, naming the field', () => {
    // Arrange: a copy of the ID check whose "responsible" is a select; the event wants a boolean.
    const schema = form('cottbus-id-check');
    const changed = JSON.parse(
      JSON.stringify(schema).replace(
        '"type":"checkbox","key":"responsible"',
        '"type":"select","key":"responsible","values":[{"label":"ja","value":"ja"}]',
      ),
    ) as FormSchema;
    expect(JSON.stringify(changed)).not.toBe(JSON.stringify(schema));
    // Act
    const r = buildValidator(changed).check({ identityVerified: true, responsible: 'ja' }, { relocation: false });
    // Assert
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]).toMatchObject({
      key: 'responsible',
      message: expect.stringContaining(
        '„Jobcenter Cottbus ist örtlich zuständig“ entspricht nicht den Regeln der Schnittstelle',
      ),
    });
  });
});
