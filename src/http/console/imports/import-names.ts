import type { ImportField, ImportMode, ImportStatus } from "../../../domain/imports/import";

/** Words for the import's fields, statuses, modes and row results, English and French (never a colour alone). */
export const FIELD_NAMES: Record<"en" | "fr", Record<ImportField, string>> = {
  en: {
    email: "Email",
    givenName: "First name",
    familyName: "Last name",
    userName: "Username",
    language: "Language",
    phone: "Phone",
    title: "Job title",
    department: "Department",
    employeeNumber: "Employee number",
    groups: "Groups (ids)",
    external: "Internal / external",
    password: "One-time password",
  },
  fr: {
    email: "E-mail",
    givenName: "Prénom",
    familyName: "Nom",
    userName: "Identifiant",
    language: "Langue",
    phone: "Téléphone",
    title: "Fonction",
    department: "Département",
    employeeNumber: "Matricule",
    groups: "Groupes (identifiants)",
    external: "Interne / externe",
    password: "Mot de passe provisoire",
  },
};

export const STATUS_NAMES: Record<"en" | "fr", Record<ImportStatus, string>> = {
  en: {
    receiving: "receiving",
    staged: "waiting for the columns",
    queued: "queued",
    running: "running",
    succeeded: "finished",
    failed: "failed",
    cancelled: "cancelled",
  },
  fr: {
    receiving: "en réception",
    staged: "en attente des colonnes",
    queued: "en file d'attente",
    running: "en cours",
    succeeded: "terminé",
    failed: "en échec",
    cancelled: "annulé",
  },
};

export const MODE_NAMES: Record<"en" | "fr", Record<ImportMode, string>> = {
  en: {
    upsert: "Update them with the file (add the others)",
    "create-only": "Leave them as they are (only add new people)",
    sync: "Update them, and deactivate the entity's people absent from the file",
  },
  fr: {
    upsert: "Les mettre à jour avec le fichier (ajouter les autres)",
    "create-only": "Les laisser tels quels (ajouter seulement les nouveaux)",
    sync: "Les mettre à jour, et désactiver les personnes de l'entité absentes du fichier",
  },
};

export const RESULTS = ["created", "updated", "unchanged", "skipped", "failed", "duplicate", "not done"] as const;
export type ResultName = (typeof RESULTS)[number];

export const RESULT_NAMES: Record<"en" | "fr", Record<ResultName, string>> = {
  en: {
    created: "created",
    updated: "updated",
    unchanged: "unchanged",
    skipped: "skipped",
    failed: "failed",
    duplicate: "duplicate",
    "not done": "not done",
  },
  fr: {
    created: "créée",
    updated: "modifiée",
    unchanged: "inchangée",
    skipped: "ignorée",
    failed: "en échec",
    duplicate: "doublon",
    "not done": "non traitée",
  },
};

/** Is the import still to be applied or being applied (a progress page keeps polling)? */
export const isOpen = (status: ImportStatus): boolean =>
  status === "receiving" || status === "queued" || status === "running";
