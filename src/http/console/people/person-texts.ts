// Words a person's pages share (the page, the edit form, adding people): field labels and the values they show.
import type { Texts } from "../i18n";

type FieldLabel =
  | "id"
  | "givenName"
  | "familyName"
  | "displayName"
  | "email"
  | "emails"
  | "userName"
  | "entity"
  | "language"
  | "role"
  | "allows"
  | "adminScope"
  | "groups"
  | "lastLogin"
  | "enrolment"
  | "active"
  | "source"
  | "external"
  | "title"
  | "department"
  | "manager";

export const LABELS: Texts<FieldLabel> = {
  en: {
    id: "Id",
    givenName: "Given name",
    familyName: "Family name",
    displayName: "Display name",
    email: "Email",
    emails: "Emails",
    userName: "Username",
    entity: "Entity",
    language: "Language",
    role: "Role",
    allows: "What the role allows",
    adminScope: "Admin scope",
    groups: "Groups",
    lastLogin: "Last connection",
    enrolment: "Enrolment",
    active: "Account",
    source: "Data source",
    external: "Internal or external",
    title: "Job title",
    department: "Department",
    manager: "Manager (id)",
  },
  fr: {
    id: "Identifiant",
    givenName: "Prénom",
    familyName: "Nom",
    displayName: "Nom affiché",
    email: "E-mail",
    emails: "E-mails",
    userName: "Nom d'utilisateur",
    entity: "Entité",
    language: "Langue",
    role: "Rôle",
    allows: "Ce que le rôle permet",
    adminScope: "Périmètre d'administration",
    groups: "Groupes",
    lastLogin: "Dernière connexion",
    enrolment: "Inscription",
    active: "Compte",
    source: "Source des données",
    external: "Interne ou externe",
    title: "Fonction",
    department: "Service",
    manager: "Responsable (identifiant)",
  },
};

type ValueText =
  | "member"
  | "admin"
  | "auditor"
  | "scim"
  | "csv"
  | "jit"
  | "signup"
  | "byAdmin"
  | "internal"
  | "externalPerson"
  | "activeOn"
  | "activeOff"
  | "never"
  | "automatic"
  | "none"
  | "wholeOrganisation"
  | "nothing"
  | "users:read"
  | "users:write"
  | "entities:read"
  | "entities:write"
  | "groups:read"
  | "groups:write"
  | "audit:read";

export const VALUES: Texts<ValueText> = {
  en: {
    member: "member",
    admin: "administrator",
    auditor: "auditor (read-only)",
    scim: "identity provider (SCIM)",
    csv: "file import",
    jit: "company SSO (created at first sign-in)",
    signup: "self sign-up",
    byAdmin: "added by an administrator",
    internal: "internal",
    externalPerson: "external",
    activeOn: "active",
    activeOff: "deactivated",
    never: "never",
    automatic: "automatic (the identity provider's, else the browser's)",
    none: "none",
    wholeOrganisation: "the whole organisation",
    nothing: "no administration rights",
    "users:read": "see people",
    "users:write": "add, change, invite and deactivate people",
    "entities:read": "see entities",
    "entities:write": "create, rename and move entities",
    "groups:read": "see groups and their members",
    "groups:write": "change groups and their members",
    "audit:read": "read the audit log",
  },
  fr: {
    member: "membre",
    admin: "administrateur",
    auditor: "auditeur (lecture seule)",
    scim: "fournisseur d'identité (SCIM)",
    csv: "import de fichier",
    jit: "SSO d'entreprise (créé à la première connexion)",
    signup: "inscription libre",
    byAdmin: "ajouté par un administrateur",
    internal: "interne",
    externalPerson: "externe",
    activeOn: "actif",
    activeOff: "désactivé",
    never: "jamais",
    automatic: "automatique (celle du fournisseur d'identité, sinon du navigateur)",
    none: "aucune",
    wholeOrganisation: "toute l'organisation",
    nothing: "aucun droit d'administration",
    "users:read": "voir les personnes",
    "users:write": "ajouter, modifier, inviter et désactiver des personnes",
    "entities:read": "voir les entités",
    "entities:write": "créer, renommer et déplacer des entités",
    "groups:read": "voir les groupes et leurs membres",
    "groups:write": "modifier les groupes et leurs membres",
    "audit:read": "lire le journal d'audit",
  },
};

/** Why a field is locked on the edit form (LockedField.why). */
export const LOCKS: Texts<"idp_owned" | "entity_mapping"> = {
  en: {
    idp_owned: "Kept in sync by the identity provider (field ownership): change it there.",
    entity_mapping: "Set by the identity provider's value (SCIM_ENTITY_MAPPING): change it there.",
  },
  fr: {
    idp_owned: "Synchronisé par le fournisseur d'identité (propriété des champs) : modifiez-le là-bas.",
    entity_mapping: "Fixé par la valeur du fournisseur d'identité (SCIM_ENTITY_MAPPING) : modifiez-la là-bas.",
  },
};
