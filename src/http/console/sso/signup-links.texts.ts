import type { Texts } from "../i18n";

export const T: Texts<
  | "title"
  | "help"
  | "entity"
  | "choose"
  | "show"
  | "caption"
  | "link"
  | "expires"
  | "never"
  | "state"
  | "live"
  | "revoked"
  | "expired"
  | "created"
  | "qr"
  | "qrAlt"
  | "revoke"
  | "none"
  | "newLink"
  | "expiresAt"
  | "expiresHint"
  | "create"
  | "back"
  | "done_created"
  | "done_revoked"
  | "notADate"
> = {
  en: {
    title: "Department sign-up links",
    help: "A signed link (and its QR code) that lets people sign up straight into an entity, while self sign-up is on.",
    entity: "Entity",
    choose: "Choose an entity",
    show: "Show its links",
    caption: "Sign-up links of the entity",
    link: "Link",
    expires: "Expires",
    never: "never",
    state: "State",
    live: "live",
    revoked: "revoked",
    expired: "expired",
    created: "Created",
    qr: "QR code",
    qrAlt: "QR code of the sign-up link",
    revoke: "Revoke",
    none: "No link for this entity yet.",
    newLink: "New link",
    expiresAt: "Expires at (UTC, optional)",
    expiresHint: "Leave empty for a link that does not expire.",
    create: "Create the link",
    back: "Back to company SSO",
    done_created: "The link is created.",
    done_revoked: "The link is revoked: it no longer opens the sign-up form.",
    notADate: "is not a date and time",
  },
  fr: {
    title: "Liens d'inscription par département",
    help: "Un lien signé (et son QR code) qui permet de s'inscrire directement dans une entité, quand l'inscription libre est activée.",
    entity: "Entité",
    choose: "Choisissez une entité",
    show: "Afficher ses liens",
    caption: "Liens d'inscription de l'entité",
    link: "Lien",
    expires: "Expire",
    never: "jamais",
    state: "État",
    live: "actif",
    revoked: "révoqué",
    expired: "expiré",
    created: "Créé",
    qr: "QR code",
    qrAlt: "QR code du lien d'inscription",
    revoke: "Révoquer",
    none: "Aucun lien pour cette entité.",
    newLink: "Nouveau lien",
    expiresAt: "Expire le (UTC, facultatif)",
    expiresHint: "Laissez vide pour un lien sans expiration.",
    create: "Créer le lien",
    back: "Retour au SSO d'entreprise",
    done_created: "Le lien est créé.",
    done_revoked: "Le lien est révoqué : il n'ouvre plus le formulaire d'inscription.",
    notADate: "n'est pas une date et une heure",
  },
};
