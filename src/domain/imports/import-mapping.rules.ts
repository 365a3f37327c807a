import { InvalidError } from "../errors";
import { IMPORT_FIELDS, type ImportField } from "./import";

/** A label as compared: accents, case, spaces and punctuation taken away (`E-mail` -> `email`, `Prénom` -> `prenom`). */
export function labelKey(label: string): string {
  return label
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/** The wordings each field is known by, English and French (compared as labelKey). */
const WORDINGS: Record<ImportField, string[]> = {
  email: ["email", "e-mail", "courriel", "mail", "email address", "adresse e-mail", "adresse mail", "work email"],
  givenName: ["first name", "prénom", "given name", "firstname", "givenName", "first"],
  familyName: ["last name", "nom", "family name", "surname", "nom de famille", "lastname", "familyName"],
  userName: ["username", "user name", "login", "identifiant", "userName", "nom d'utilisateur"],
  language: ["language", "langue", "preferred language", "locale"],
  phone: ["phone", "téléphone", "mobile", "phone number", "tel", "portable", "numéro de téléphone"],
  title: ["job title", "fonction", "poste", "title", "titre"],
  department: ["department", "entity", "service", "département", "entité", "direction"],
  employeeNumber: ["employee number", "matricule", "employee id", "employeeNumber", "numéro d'employé"],
  groups: ["groups", "groupes", "group", "groupe", "spaces", "espaces"],
  external: ["internal / external", "external", "externe", "interne / externe", "internal", "interne"],
  password: ["one-time password", "mot de passe", "password", "mot de passe provisoire", "temporary password"],
};

const BY_KEY = new Map<string, ImportField>(
  (Object.entries(WORDINGS) as [ImportField, string[]][]).flatMap(([field, words]) =>
    words.map((w) => [labelKey(w), field] as [string, ImportField]),
  ),
);

/** The field a label is read as by its wording, if any. */
export const fieldOfLabel = (label: string): ImportField | undefined => BY_KEY.get(labelKey(label));

/** The template's header: every field, under its English label. */
export const TEMPLATE_LABELS: Record<ImportField, string> = {
  email: "Email",
  givenName: "First name",
  familyName: "Last name",
  userName: "Username",
  language: "Language",
  phone: "Phone",
  title: "Job title",
  department: "Department",
  employeeNumber: "Employee number",
  groups: "Groups",
  external: "Internal / external",
  password: "One-time password",
};

export interface ColumnMapping {
  /** Per column of the file (by position): the field it is read as, or null (ignored). */
  fields: (ImportField | null)[];
  /** label -> field, for the columns read. */
  used: Record<string, ImportField>;
  ignored: string[];
}

/**
 * The fields of a header row: the admin's mapping first (labels compared as labelKey; null ignores a column), then the
 * wordings; a field read from two columns, a mapping naming an unknown field or label, and no email column are refused.
 */
export function mapColumns(header: string[], given: Record<string, ImportField | null>): ColumnMapping {
  const givenByKey = new Map<string, ImportField | null>();
  for (const [label, field] of Object.entries(given)) {
    if (field !== null && !IMPORT_FIELDS.includes(field))
      throw new InvalidError("mapping", `'${field}' is not a field (one of ${IMPORT_FIELDS.join(", ")}, or null)`);
    if (!header.some((h) => labelKey(h) === labelKey(label)))
      throw new InvalidError("mapping", `the file has no column '${label}'`);
    givenByKey.set(labelKey(label), field);
  }
  const fields: (ImportField | null)[] = [];
  const used: Record<string, ImportField> = {};
  const ignored: string[] = [];
  const taken = new Map<ImportField, string>();
  for (const label of header) {
    const key = labelKey(label);
    const field = givenByKey.has(key) ? givenByKey.get(key)! : (fieldOfLabel(label) ?? null);
    if (field === null || key === "") {
      fields.push(null);
      if (label.trim() !== "") ignored.push(label);
      continue;
    }
    if (taken.has(field))
      throw new InvalidError(
        "mapping",
        `columns '${taken.get(field)}' and '${label}' are both read as ${field}: map one`,
      );
    taken.set(field, label);
    fields.push(field);
    used[label] = field;
  }
  if (!taken.has("email"))
    throw new InvalidError("file", "no email column: the first line must name the columns, one of them the email");
  return { fields, used, ignored };
}
