import type { Texts } from "../i18n";

type Key =
  | "title"
  | "communication"
  | "communicationHelp"
  | "autoScim"
  | "autoCsv"
  | "email"
  | "sms"
  | "channels"
  | "autoInvite"
  | "save"
  | "signUp"
  | "signUpHelp"
  | "signUpEnabled"
  | "defaultRole"
  | "member"
  | "admin"
  | "auditor"
  | "defaultEntity"
  | "noEntity"
  | "defaultJobProfile"
  | "ownership"
  | "ownershipHelp"
  | "idp"
  | "byAdmin"
  | "idpDomains"
  | "idpDomainsHelp"
  | "domains"
  | "notAnEntity"
  | "done_communication"
  | "done_sign-up"
  | "done_field-ownership"
  | "done_idp-domains";

export const T: Texts<Key> = {
  en: {
    title: "Settings",
    communication: "Communication",
    communicationHelp:
      "Whether people created by the identity provider or a CSV import are invited at once, and on which channels invitations go.",
    autoInvite: "Invite at once the people created by",
    autoScim: "the identity provider (SCIM)",
    autoCsv: "a CSV or Excel import",
    channels: "Channels",
    email: "Email",
    sms: "SMS",
    save: "Save",
    signUp: "Self sign-up",
    signUpHelp: "Whether people may create their own account from the sign-in page, and what a new account gets.",
    signUpEnabled: "People may sign up",
    defaultRole: "Role of a new account",
    member: "member",
    admin: "admin",
    auditor: "auditor",
    defaultEntity: "Entity of a new account",
    noEntity: "(none)",
    defaultJobProfile: "Job title of a new account",
    ownership: "Field ownership",
    ownershipHelp:
      "For people the identity provider manages: who owns each field. The owner's value wins; the other side cannot change it.",
    idp: "the identity provider",
    byAdmin: "Roster's admins",
    idpDomains: "Identity provider's email domains",
    idpDomainsHelp:
      "Email domains the identity provider owns: the reconciliation report names people created by hand in them.",
    domains: "Domains, one per line",
    notAnEntity: "names no entity",
    done_communication: "The communication setting is saved.",
    "done_sign-up": "The self sign-up setting is saved.",
    "done_field-ownership": "The field ownership is saved.",
    "done_idp-domains": "The identity provider's domains are saved.",
  },
  fr: {
    title: "Paramètres",
    communication: "Communication",
    communicationHelp:
      "Si les personnes créées par le fournisseur d'identité ou un import CSV sont invitées aussitôt, et par quels canaux partent les invitations.",
    autoInvite: "Inviter aussitôt les personnes créées par",
    autoScim: "le fournisseur d'identité (SCIM)",
    autoCsv: "un import CSV ou Excel",
    channels: "Canaux",
    email: "E-mail",
    sms: "SMS",
    save: "Enregistrer",
    signUp: "Inscription libre",
    signUpHelp:
      "Si les personnes peuvent créer leur propre compte depuis la page de connexion, et ce qu'un nouveau compte reçoit.",
    signUpEnabled: "Les personnes peuvent s'inscrire",
    defaultRole: "Rôle d'un nouveau compte",
    member: "membre",
    admin: "administrateur",
    auditor: "auditeur",
    defaultEntity: "Entité d'un nouveau compte",
    noEntity: "(aucune)",
    defaultJobProfile: "Intitulé de poste d'un nouveau compte",
    ownership: "Propriété des champs",
    ownershipHelp:
      "Pour les personnes gérées par le fournisseur d'identité : qui possède chaque champ. La valeur du propriétaire l'emporte ; l'autre côté ne peut pas la changer.",
    idp: "le fournisseur d'identité",
    byAdmin: "les administrateurs de Roster",
    idpDomains: "Domaines e-mail du fournisseur d'identité",
    idpDomainsHelp:
      "Les domaines e-mail du fournisseur d'identité : le rapport de réconciliation nomme les personnes créées à la main dans ces domaines.",
    domains: "Domaines, un par ligne",
    notAnEntity: "ne désigne aucune entité",
    done_communication: "Le réglage de communication est enregistré.",
    "done_sign-up": "Le réglage d'inscription libre est enregistré.",
    "done_field-ownership": "La propriété des champs est enregistrée.",
    "done_idp-domains": "Les domaines du fournisseur d'identité sont enregistrés.",
  },
};

export function doneText(lang: "en" | "fr", done: unknown): string | null {
  const key = `done_${String(done)}`;
  return key in T[lang] ? T[lang][key as Key] : null;
}
