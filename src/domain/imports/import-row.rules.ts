import { InvalidError } from "../errors";
import { isUuid } from "../ids";
import { checkEmail } from "../people/manual-policy.rules";
import { type User, primaryValue } from "../users/user";
import type { ImportField } from "./import";

/** What one row gives; a field left out (no column, or an empty cell) is not changed on an existing person. */
export interface RowInput {
  email: string;
  givenName?: string;
  familyName?: string;
  userName?: string;
  language?: string;
  phone?: string;
  title?: string;
  department?: string;
  employeeNumber?: string;
  /** Group ids given in the `groups` cell. */
  groups?: string[];
  /** Group display names given in the `groups` cell (anything that is not an id), resolved per batch. */
  groupNames?: string[];
  external?: boolean;
  password?: string;
}

const EXTERNAL = new Set(["external", "externe", "ext", "yes", "oui", "true", "1", "x", "guest", "invite", "invité"]);
const INTERNAL = new Set(["internal", "interne", "int", "no", "non", "false", "0", "employee", "salarie", "salarié"]);

/** The cells of a row read through the columns' fields (the manual policy's own checks come when the row is applied). */
export function readRow(cells: string[], fields: (ImportField | null)[]): RowInput {
  const out: Partial<Record<ImportField, string>> = {};
  fields.forEach((field, i) => {
    const value = (cells[i] ?? "").trim();
    if (field && value !== "") out[field] = value;
  });
  if (!out.email) throw new InvalidError("email", "is empty");
  const row: RowInput = { email: checkEmail(out.email) };
  for (const f of ["givenName", "familyName", "userName", "language", "phone", "title", "department"] as const)
    if (out[f] !== undefined) row[f] = out[f];
  if (out.employeeNumber !== undefined) row.employeeNumber = out.employeeNumber;
  if (out.password !== undefined) row.password = out.password;
  if (out.external !== undefined) {
    const v = out.external.toLowerCase();
    if (EXTERNAL.has(v)) row.external = true;
    else if (INTERNAL.has(v)) row.external = false;
    else throw new InvalidError("external", `'${out.external}' is neither internal nor external`);
  }
  if (out.groups !== undefined) {
    // Ids or display names, separated by ; , | or new lines (a name holding one of these cannot be given by name).
    const given = out.groups
      .split(/[;,|\n]/)
      .map((g) => g.trim())
      .filter(Boolean);
    const ids = given.filter(isUuid);
    const names = given.filter((g) => !isUuid(g));
    if (ids.length) row.groups = [...new Set(ids)];
    if (names.length) row.groupNames = [...new Set(names)];
  }
  return row;
}

/** The lower-cased email and userName a row is matched on (duplicates in a file are found with them), or null. */
export function rowKeys(
  cells: string[],
  fields: (ImportField | null)[],
): { email: string | null; userName: string | null } {
  const cell = (f: ImportField) => {
    const i = fields.indexOf(f);
    const v = i < 0 ? "" : (cells[i] ?? "").trim().toLowerCase();
    return v === "" ? null : v;
  };
  return { email: cell("email"), userName: cell("userName") };
}

/**
 * Whether applying the row to `user` would change nothing (every field it gives already has that value, the primary
 * email included, exactly): such a row is `unchanged` without a write or a lock. A password always goes the long way.
 */
export function leavesUnchanged(input: RowInput, user: User): boolean {
  if (input.password !== undefined) return false;
  if (primaryValue(user.emails) !== input.email) return false;
  const same = <T>(given: T | undefined, current: T) => given === undefined || given === current;
  return (
    same(input.givenName, user.name.givenName) &&
    same(input.familyName, user.name.familyName) &&
    same(input.userName, user.userName) &&
    same(input.language, user.preferredLanguage) &&
    same(input.title, user.title) &&
    same(input.department, user.enterprise.department) &&
    same(input.employeeNumber, user.enterprise.employeeNumber) &&
    same(input.phone, user.phoneNumbers[0]?.value) &&
    same(input.external, user.account.external) &&
    (input.groups === undefined || input.groups.length === 0) &&
    (input.groupNames === undefined || input.groupNames.length === 0)
  );
}
