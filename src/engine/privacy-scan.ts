/**
 * Reads every variable of every process instance the engine keeps and reports what looks personal: a variable
 * whose name says it holds a name, birth date, address, nationality or health, or a value that contains one of
 * the given texts (the names and birth dates the store holds). Operate shows exactly these variables, so an
 * empty report means Operate shows no person. Used after the integration suite and by operators.
 */
import type { SearchPage, VariableItem } from './rest-client.js';

export interface VariableSource {
  searchVariables(filter: Record<string, unknown>, limit?: number, after?: string): Promise<SearchPage<VariableItem> & { page: { endCursor?: string } }>;
}

export interface PrivacyFinding {
  processInstanceKey: string;
  variable: string;
  why: string;
}

/** Names a process variable must never have; matched case-insensitively as whole words of a camelCase name. */
const PERSONAL_NAMES = ['givenName', 'familyName', 'firstName', 'lastName', 'surname', 'vorname', 'nachname', 'birthDate', 'dateOfBirth', 'geburtsdatum', 'address', 'street', 'anschrift', 'nationality', 'staatsangehoerigkeit', 'health', 'gesundheit', 'beratungsvermerk'];

function personalName(variable: string): string | undefined {
  const lower = variable.toLowerCase();
  return PERSONAL_NAMES.find((p) => lower === p.toLowerCase() || lower.endsWith(p.toLowerCase()) || lower.includes(`${p.toLowerCase()}s`));
}

export async function scanVariables(source: VariableSource, forbiddenTexts: readonly string[] = []): Promise<{ scanned: number; findings: PrivacyFinding[] }> {
  // Short texts ("Li", "1") would match everywhere; a name needs three characters to say anything.
  const texts = [...new Set(forbiddenTexts.map((t) => t.trim()).filter((t) => t.length >= 3))];
  const findings: PrivacyFinding[] = [];
  let scanned = 0;
  let after: string | undefined;
  for (;;) {
    const page = await source.searchVariables({}, 1000, after);
    for (const v of page.items) {
      scanned++;
      const byName = personalName(v.name);
      if (byName) findings.push({ processInstanceKey: v.processInstanceKey, variable: v.name, why: `its name says it holds ${byName}` });
      const hit = texts.find((t) => v.value.includes(t));
      if (hit) findings.push({ processInstanceKey: v.processInstanceKey, variable: v.name, why: `its value contains "${hit}"` });
    }
    after = page.page.endCursor;
    if (!after || page.items.length === 0) return { scanned, findings };
  }
}
