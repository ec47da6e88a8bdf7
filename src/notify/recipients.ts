/**
 * Resolves the recipients a diagram names in the task's extension properties (`to`, `cc`) to inbox ids and e-mail
 * addresses: `caseworker`, `team:mailbox`, `team:lead`, `group:<id>`, `role:<name>`, `ifk`, and for jobcenters with
 * branches `branch:bi` / `branch:lg`, the experts of the case's branch (GST). Only staff, never customers.
 */
import type { JobcenterSettings } from '../config/jobcenter.js';

export interface Recipient {
  /** The inbox this message lands in (a staff id, `group:EZ`, or a team mailbox id). */
  inbox: string;
  email?: string;
}

export interface RecipientContext {
  caseworkerId?: string | null;
  teamId?: string | null;
  /** The case's branch (Wuppertal's GST), for `branch:bi` and `branch:lg`. */
  branchId?: string | null;
}

export class UnknownRecipientError extends Error {}

export function resolveRecipients(
  spec: string | undefined,
  settings: JobcenterSettings,
  ctx: RecipientContext,
): Recipient[] {
  if (!spec) return [];
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((token) => resolveOne(token, settings, ctx));
}

function resolveOne(token: string, settings: JobcenterSettings, ctx: RecipientContext): Recipient {
  const team = settings.teams.find((t) => t.id === ctx.teamId);
  const [kind, name] = token.split(':') as [string, string | undefined];
  switch (kind) {
    case 'caseworker':
    case 'ifk': {
      if (!ctx.caseworkerId) throw new UnknownRecipientError(`${token}: the step names no caseworker`);
      // A deputy typed into a form may not be in the sample settings: the inbox still reaches them.
      const cw = settings.caseworkers.find((c) => c.id === ctx.caseworkerId);
      return cw ? { inbox: cw.id, email: cw.email } : { inbox: ctx.caseworkerId };
    }
    case 'team':
      if (!team) throw new UnknownRecipientError(`${token}: no team "${ctx.teamId ?? ''}" in the settings`);
      if (name === 'mailbox') return { inbox: `team:${team.id}`, email: team.mailbox };
      if (name === 'lead' && team.lead) return { inbox: team.lead.id, email: team.lead.email };
      throw new UnknownRecipientError(`${token}: team ${team.id} has no ${name}`);
    case 'group':
      if (!name) break;
      return { inbox: `group:${name}`, email: settings.mailboxes[name] };
    case 'branch': {
      const branch = settings.branches.find((b) => b.id === ctx.branchId);
      if (!branch) throw new UnknownRecipientError(`${token}: no branch "${ctx.branchId ?? ''}" in the settings`);
      if (name !== 'bi' && name !== 'lg') throw new UnknownRecipientError(`${token}: a branch has experts bi and lg`);
      const expert = branch.experts[name];
      return { inbox: expert.id, email: expert.email };
    }
    case 'role': {
      const person = name ? settings.roles[name] : undefined;
      if (!person) throw new UnknownRecipientError(`${token}: no role "${name ?? ''}" in the settings`);
      return { inbox: person.id, email: person.email };
    }
  }
  throw new UnknownRecipientError(`${token}: unknown recipient kind`);
}
