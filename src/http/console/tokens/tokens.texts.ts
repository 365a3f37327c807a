import type { Texts } from "../i18n";

export const T: Texts<
  | "title"
  | "caption"
  | "name"
  | "scope"
  | "created"
  | "lastUse"
  | "never"
  | "actions"
  | "revoke"
  | "none"
  | "newTitle"
  | "nameHint"
  | "create"
  | "scim"
  | "admin"
  | "auditor"
  | "createdTitle"
  | "yourToken"
  | "once"
  | "backToList"
  | "confirmTitle"
  | "confirmText"
  | "confirm"
  | "cancel"
  | "revoked"
  | "noSecrets"
> = {
  en: {
    title: "API tokens",
    caption: "Live API tokens",
    name: "Name",
    scope: "Scope",
    created: "Created",
    lastUse: "Last use",
    never: "never used",
    actions: "Actions",
    revoke: "Revoke",
    none: "No live API token.",
    newTitle: "Create an API token",
    nameHint: "1-100 letters, digits, '.', '_', '@' or '-' (e.g. okta-prod).",
    create: "Create the token",
    scim: "scim: an identity provider pushing people (SCIM)",
    admin: "admin: the admin API, everything",
    auditor: "auditor: the admin API, read-only",
    createdTitle: "API token created",
    yourToken: "The new token (copy it now):",
    once: "This is the only time the token is shown: Roster keeps only a hash of it. If it is lost, revoke it and create another.",
    backToList: "Back to the API tokens",
    confirmTitle: "Revoke an API token",
    confirmText: "Revoke this token? Anything using it is refused from now on. This cannot be undone.",
    confirm: "Yes, revoke it",
    cancel: "Cancel",
    revoked: "The token is revoked: it no longer opens anything.",
    noSecrets: "Tokens are never shown again after they are created.",
  },
  fr: {
    title: "Jetons d'API",
    caption: "Jetons d'API en vigueur",
    name: "Nom",
    scope: "Portée",
    created: "Créé",
    lastUse: "Dernière utilisation",
    never: "jamais utilisé",
    actions: "Actions",
    revoke: "Révoquer",
    none: "Aucun jeton d'API en vigueur.",
    newTitle: "Créer un jeton d'API",
    nameHint: "1 à 100 lettres, chiffres, « . », « _ », « @ » ou « - » (ex. okta-prod).",
    create: "Créer le jeton",
    scim: "scim : un fournisseur d'identité qui pousse des personnes (SCIM)",
    admin: "admin : l'API d'administration, tout",
    auditor: "auditor : l'API d'administration, en lecture seule",
    createdTitle: "Jeton d'API créé",
    yourToken: "Le nouveau jeton (copiez-le maintenant) :",
    once: "Le jeton n'est affiché qu'une seule fois : Roster n'en garde qu'une empreinte. S'il est perdu, révoquez-le et créez-en un autre.",
    backToList: "Retour aux jetons d'API",
    confirmTitle: "Révoquer un jeton d'API",
    confirmText: "Révoquer ce jeton ? Tout ce qui l'utilise sera refusé dès maintenant. C'est définitif.",
    confirm: "Oui, le révoquer",
    cancel: "Annuler",
    revoked: "Le jeton est révoqué : il n'ouvre plus rien.",
    noSecrets: "Un jeton n'est plus jamais affiché après sa création.",
  },
};
