import type { Texts } from "../i18n";

type Key =
  | "title"
  | "caption"
  | "name"
  | "issuer"
  | "clientId"
  | "clientSecret"
  | "secretState"
  | "set"
  | "notSet"
  | "secretKeep"
  | "secretNew"
  | "scopes"
  | "scopesHint"
  | "linkClaim"
  | "linkClaimHint"
  | "trustEmail"
  | "enabled"
  | "on"
  | "off"
  | "jit"
  | "jitEnabled"
  | "allowedDomains"
  | "linesHint"
  | "requiredClaims"
  | "requiredClaimsHint"
  | "defaultRole"
  | "defaultEntity"
  | "noEntity"
  | "defaultLanguage"
  | "mapping"
  | "givenName"
  | "familyName"
  | "language"
  | "entity"
  | "groups"
  | "requiredGroups"
  | "redirectUri"
  | "none"
  | "add"
  | "newTitle"
  | "create"
  | "edit"
  | "save"
  | "delete"
  | "confirmDelete"
  | "confirm"
  | "cancel"
  | "signupLinks"
  | "member"
  | "admin"
  | "auditor"
  | "notAnEntity"
  | "done_created"
  | "done_updated"
  | "done_deleted";

export const T: Texts<Key> = {
  en: {
    title: "Company SSO",
    caption: "Company SSO connections",
    name: "Name (on the sign-in button)",
    issuer: "Issuer URL",
    clientId: "Client id",
    clientSecret: "Client secret",
    secretState: "Client secret",
    set: "set",
    notSet: "not set",
    secretKeep: "Leave empty to keep the secret stored; it is never shown back.",
    secretNew: "Typed once, stored sealed, never shown back.",
    scopes: "Scopes",
    scopesHint: "Separated by spaces; openid email profile when empty.",
    linkClaim: "Link claim",
    linkClaimHint: "The ID-token claim compared with the SCIM externalId at a first sign-in (Entra: oid).",
    trustEmail: "Trust this IdP's email claim as verified",
    enabled: "Enabled",
    on: "enabled",
    off: "disabled",
    jit: "Just-in-time creation",
    jitEnabled: "Create people at their first sign-in",
    allowedDomains: "Allowed email domains",
    linesHint: "One per line; empty = any.",
    requiredClaims: "Required claims",
    requiredClaimsHint: "One claim=value per line.",
    defaultRole: "Role of a new person",
    defaultEntity: "Entity of a new person",
    noEntity: "(none)",
    defaultLanguage: "Language of a new person",
    mapping: "Claims",
    givenName: "Given name claim",
    familyName: "Family name claim",
    language: "Language claim",
    entity: "Entity claim (an entity's external key)",
    groups: "Groups claim",
    requiredGroups: "Required groups (one per line; empty = no rule)",
    redirectUri: "Redirect URI to register at the IdP",
    none: "No company SSO connection yet.",
    add: "Add a connection",
    newTitle: "New company SSO connection",
    create: "Create the connection",
    edit: "Edit",
    save: "Save",
    delete: "Delete",
    confirmDelete:
      "Delete this connection? Its people can no longer sign in with it (their links stay). This cannot be undone.",
    confirm: "Yes, delete it",
    cancel: "Cancel",
    signupLinks: "Department sign-up links",
    member: "member",
    admin: "admin",
    auditor: "auditor",
    notAnEntity: "names no entity",
    done_created: "The connection is created.",
    done_updated: "The connection is saved.",
    done_deleted: "The connection is deleted.",
  },
  fr: {
    title: "SSO d'entreprise",
    caption: "Connexions SSO d'entreprise",
    name: "Nom (sur le bouton de connexion)",
    issuer: "URL de l'émetteur",
    clientId: "Identifiant client",
    clientSecret: "Secret client",
    secretState: "Secret client",
    set: "défini",
    notSet: "non défini",
    secretKeep: "Laissez vide pour garder le secret enregistré ; il n'est jamais réaffiché.",
    secretNew: "Saisi une fois, gardé scellé, jamais réaffiché.",
    scopes: "Portées",
    scopesHint: "Séparées par des espaces ; openid email profile si vide.",
    linkClaim: "Claim de liaison",
    linkClaimHint: "Le claim du jeton d'identité comparé à l'externalId SCIM à la première connexion (Entra : oid).",
    trustEmail: "Considérer l'e-mail de ce fournisseur comme vérifié",
    enabled: "Activée",
    on: "activée",
    off: "désactivée",
    jit: "Création à la volée",
    jitEnabled: "Créer les personnes à leur première connexion",
    allowedDomains: "Domaines e-mail autorisés",
    linesHint: "Un par ligne ; vide = tous.",
    requiredClaims: "Claims exigés",
    requiredClaimsHint: "Un claim=valeur par ligne.",
    defaultRole: "Rôle d'une nouvelle personne",
    defaultEntity: "Entité d'une nouvelle personne",
    noEntity: "(aucune)",
    defaultLanguage: "Langue d'une nouvelle personne",
    mapping: "Claims",
    givenName: "Claim du prénom",
    familyName: "Claim du nom",
    language: "Claim de la langue",
    entity: "Claim de l'entité (clé externe d'une entité)",
    groups: "Claim des groupes",
    requiredGroups: "Groupes exigés (un par ligne ; vide = pas de règle)",
    redirectUri: "URI de redirection à déclarer chez le fournisseur",
    none: "Aucune connexion SSO d'entreprise pour l'instant.",
    add: "Ajouter une connexion",
    newTitle: "Nouvelle connexion SSO d'entreprise",
    create: "Créer la connexion",
    edit: "Modifier",
    save: "Enregistrer",
    delete: "Supprimer",
    confirmDelete:
      "Supprimer cette connexion ? Ses personnes ne pourront plus se connecter par elle (leurs liaisons restent). C'est définitif.",
    confirm: "Oui, la supprimer",
    cancel: "Annuler",
    signupLinks: "Liens d'inscription par département",
    member: "membre",
    admin: "administrateur",
    auditor: "auditeur",
    notAnEntity: "ne désigne aucune entité",
    done_created: "La connexion est créée.",
    done_updated: "La connexion est enregistrée.",
    done_deleted: "La connexion est supprimée.",
  },
};

export function doneText(lang: "en" | "fr", done: unknown): string | null {
  const key = `done_${String(done)}`;
  return key in T[lang] ? T[lang][key as Key] : null;
}
