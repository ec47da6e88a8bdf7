/**
 * The household's address in the case view: shown, and entered or corrected by staff with the same rules as the
 * API (`HouseholdAddress`: German postcode, required street and city, an optional c/o line and mailing address).
 * A refused form comes back with the fields named in German and nothing written.
 */
import { HouseholdAddress } from '../api/applications/schema.js';
import type { HouseholdAddressInput } from '../domain/addresses.js';
import type { ApplicationAddressesTable } from '../store/index.js';
import { csrfField, esc } from './layout.js';

export const ADDRESS_FIELDS = {
  anrede: 'Anrede',
  co: 'c/o',
  strasse: 'Straße und Hausnummer',
  plz: 'Postleitzahl',
  ort: 'Ort',
  post_co: 'Postanschrift: c/o',
  post_strasse: 'Postanschrift: Straße oder Postfach',
  post_plz: 'Postanschrift: Postleitzahl',
  post_ort: 'Postanschrift: Ort',
} as const;
type FieldName = keyof typeof ADDRESS_FIELDS;
export type AddressForm = Partial<Record<FieldName, string>>;

/** The API's path of a field -> the form's field, so an error names what the user sees. */
const FIELD_OF: Record<string, FieldName> = {
  salutation: 'anrede',
  careOf: 'co',
  street: 'strasse',
  postcode: 'plz',
  city: 'ort',
  'mailingAddress.careOf': 'post_co',
  'mailingAddress.street': 'post_strasse',
  'mailingAddress.postcode': 'post_plz',
  'mailingAddress.city': 'post_ort',
  mailingAddress: 'post_strasse',
};

const MESSAGES: Record<string, string> = {
  too_small: 'darf nicht leer sein',
  too_big: 'ist zu lang (höchstens 100 Zeichen)',
  invalid_format: 'muss aus 5 Ziffern bestehen',
  invalid_value: 'ist keine der Auswahlmöglichkeiten',
  invalid_type: 'fehlt',
};

const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);

/** The form as the API's address, checked by the API's schema; the errors by form field, in German. */
export function parseAddressForm(
  form: AddressForm,
):
  | { address: HouseholdAddressInput; errors?: undefined }
  | { address?: undefined; errors: Partial<Record<FieldName, string>> } {
  const mailing = [form.post_co, form.post_strasse, form.post_plz, form.post_ort].some((v) => blank(v) !== undefined);
  const candidate = {
    salutation: blank(form.anrede),
    careOf: blank(form.co),
    street: form.strasse ?? '',
    postcode: (form.plz ?? '').trim(),
    city: form.ort ?? '',
    mailingAddress: mailing
      ? {
          careOf: blank(form.post_co),
          street: form.post_strasse ?? '',
          postcode: (form.post_plz ?? '').trim(),
          city: form.post_ort ?? '',
        }
      : undefined,
  };
  const parsed = HouseholdAddress.safeParse(
    JSON.parse(JSON.stringify(candidate)) as unknown, // drops the undefined keys, as a JSON body would not have them
  );
  if (parsed.success) return { address: parsed.data };
  const errors: Partial<Record<FieldName, string>> = {};
  for (const issue of parsed.error.issues) {
    const field = FIELD_OF[issue.path.join('.')] ?? 'strasse';
    errors[field] ??= MESSAGES[issue.code] ?? 'ist ungültig';
  }
  return { errors };
}

/** The address as the store holds it (application_addresses). */
type StoredAddress = Omit<ApplicationAddressesTable, 'application_id' | 'jobcenter' | 'created_at'>;

export function formOf(a: StoredAddress | undefined): AddressForm {
  if (!a) return {};
  return {
    anrede: a.salutation ?? '',
    co: a.care_of ?? '',
    strasse: a.street,
    plz: a.postcode,
    ort: a.city,
    post_co: a.mailing_care_of ?? '',
    post_strasse: a.mailing_street ?? '',
    post_plz: a.mailing_postcode ?? '',
    post_ort: a.mailing_city ?? '',
  };
}

const lines = (careOf: string | null, street: string, postcode: string, city: string) =>
  [careOf ? `c/o ${careOf}` : '', street, `${postcode} ${city}`].filter(Boolean).map(esc).join('<br>');

/** The address section of the case view, with its form (open when there is none yet or the last try was refused). */
export function addressSection(p: {
  heading: string;
  action: string;
  csrf: string;
  stored: StoredAddress | undefined;
  form?: AddressForm;
  errors?: Partial<Record<FieldName, string>>;
}): string {
  const a = p.stored;
  const values = p.form ?? formOf(a);
  const errors = p.errors ?? {};
  const input = (name: FieldName, attrs = '') => {
    const err = errors[name];
    return `<p><label for="${name}">${esc(ADDRESS_FIELDS[name])}</label><input id="${name}" name="${name}" value="${esc(values[name] ?? '')}"${attrs}${err ? ` aria-invalid="true" aria-describedby="${name}-fehler"` : ''}>${err ? `<span id="${name}-fehler" class="error">${esc(ADDRESS_FIELDS[name])} ${esc(err)}</span>` : ''}</p>`;
  };
  const errorList = Object.keys(errors).length
    ? `<div role="alert"><p>Die Anschrift wurde nicht gespeichert:</p><ul>${Object.entries(errors)
        .map(([f, m]) => `<li><a href="#${f}">${esc(ADDRESS_FIELDS[f as FieldName])} ${esc(m)}</a></li>`)
        .join('')}</ul></div>`
    : '';
  const shown = a
    ? `<p>${a.salutation ? `${esc(a.salutation)}<br>` : ''}${lines(a.care_of, a.street, a.postcode, a.city)}</p>${
        a.mailing_street
          ? `<p>Postanschrift:<br>${lines(a.mailing_care_of, a.mailing_street, a.mailing_postcode ?? '', a.mailing_city ?? '')}</p>`
          : ''
      }`
    : '<p>Keine Anschrift erfasst: Schreiben können nicht versandt werden.</p>';
  const option = (v: string, label: string) =>
    `<option value="${v}"${(values.anrede ?? '') === v ? ' selected' : ''}>${label}</option>`;
  return `${p.heading}
${shown}
${errorList}
<details${!a || Object.keys(errors).length ? ' open' : ''}><summary>${a ? 'Anschrift ändern' : 'Anschrift erfassen'}</summary>
<form method="post" action="${esc(p.action)}" class="address">${csrfField(p.csrf)}
<p><label for="anrede">${ADDRESS_FIELDS.anrede}</label><select id="anrede" name="anrede">${option('', 'keine Angabe')}${option('Frau', 'Frau')}${option('Herr', 'Herr')}</select></p>
${input('co')}
${input('strasse', ' autocomplete="street-address" required')}
${input('plz', ' inputmode="numeric" autocomplete="postal-code" required')}
${input('ort', ' autocomplete="address-level2" required')}
<fieldset><legend>Abweichende Postanschrift (optional)</legend>
${input('post_co')}
${input('post_strasse')}
${input('post_plz', ' inputmode="numeric"')}
${input('post_ort')}
</fieldset>
<p><button type="submit">Anschrift speichern</button></p>
</form></details>`;
}
