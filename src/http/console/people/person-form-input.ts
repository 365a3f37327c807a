// Reading a person form's flat body, and placing a domain error beside the control it names.
import type { Ctx } from "../../../domain/context";
import { ConflictError, DomainError, InvalidError, RefusedError } from "../../../domain/errors";
import type { Services } from "../../../composition";
import type { Language } from "../../../domain/language";
import { SYSTEM_ROLES, type SystemRole } from "../../../domain/users/user";
import type { Choice } from "../view/form-controls";
import { VALUES } from "./person-texts";

export type FormBody = Record<string, unknown>;

/** A text field as typed (undefined when the form did not send it). */
export const textOf = (body: FormBody, name: string): string | undefined =>
  typeof body[name] === "string" ? (body[name] as string) : undefined;

/** A role as a form sends it; anything else is refused by the field's own error. */
export function roleOf(body: FormBody): SystemRole | undefined {
  const r = textOf(body, "role");
  if (r === undefined) return undefined;
  if (!(SYSTEM_ROLES as string[]).includes(r)) throw new InvalidError("role", `'${r}' is not a role`);
  return r as SystemRole;
}

/** The form control a domain error's field belongs to (`groups[2]` is the groups fieldset, `emails` the email field). */
export function controlOf(field: string | undefined): string | undefined {
  if (!field) return undefined;
  const bare = field.replace(/\[\d+\]$/, "");
  return bare === "emails" ? "email" : bare;
}

/** A domain error an admin can correct in the form: its control and its message; null for anything else (thrown on). */
export function formErrorOf(e: unknown): { control: string | undefined; message: string } | null {
  if (e instanceof InvalidError) return { control: controlOf(e.field), message: e.reason };
  if (e instanceof ConflictError) return { control: controlOf(e.field), message: e.message };
  if (e instanceof RefusedError) return { control: controlOf(e.field), message: e.message };
  return null;
}

/** Whether `e` is a domain error (a page shows it); anything else goes to the console's error page. */
export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/** The roles to choose from, in the console's language. */
export const roleChoices = (lang: Language): Choice[] =>
  SYSTEM_ROLES.map((r) => ({ value: r, label: VALUES[lang][r] }));

/** The entities the signed-in person may place people in (their scope's), by name; "" = none. */
export async function entityChoices(services: Services, ctx: Ctx, none: string): Promise<Choice[]> {
  const entities = await services.entities.list(ctx);
  const named = entities.map((e) => ({ value: e.id, label: e.name })).sort((a, b) => a.label.localeCompare(b.label));
  return [{ value: "", label: none }, ...named];
}

/** How many groups a form offers as checkboxes (by name); a platform with more adds people to groups from the group's page. */
export const GROUP_CHOICES = 100;

/** The first GROUP_CHOICES groups the signed-in person sees, by name, and whether there are more. */
export async function groupChoices(services: Services, ctx: Ctx): Promise<{ choices: Choice[]; more: boolean }> {
  const page = await services.scopedGroups.list(ctx, null, { limit: GROUP_CHOICES });
  return { choices: page.items.map((g) => ({ value: g.id, label: g.displayName })), more: page.nextCursor !== null };
}
