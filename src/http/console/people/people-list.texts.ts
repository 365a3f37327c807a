import type { Texts } from "../i18n";

/** The people list's texts (the list, its filters, its table and its mass actions), in every console language. */
export const T: Texts<
  | "title"
  | "search"
  | "searchHint"
  | "apply"
  | "reset"
  | "any"
  | "connection"
  | "connection.connected"
  | "connection.never"
  | "enrolment"
  | "enrolment.enrolled"
  | "enrolment.never"
  | "enrolment.impossible"
  | "kind"
  | "kind.internal"
  | "kind.external"
  | "account"
  | "account.active"
  | "account.deactivated"
  | "account.invited"
  | "source"
  | "source.scim"
  | "source.admin"
  | "source.csv"
  | "source.jit"
  | "source.signup"
  | "notOffered"
  | "countExact"
  | "countOne"
  | "countMore"
  | "none"
  | "caption"
  | "select"
  | "selectCol"
  | "name"
  | "userName"
  | "email"
  | "entity"
  | "status"
  | "lastConnection"
  | "active"
  | "deactivated"
  | "joined"
  | "invited"
  | "notInvited"
  | "external"
  | "never"
  | "actOn"
  | "selected"
  | "allMatching"
  | "filterFirst"
  | "invite"
  | "disable"
  | "enable"
  | "prev"
  | "next"
  | "pages"
  | "first"
  | "noneSelected"
  | "emptyFilter"
  | "unknownAction"
  | "jobs"
> = {
  en: {
    title: "People",
    search: "Search",
    searchHint: "Names, email or userName; accents and case do not matter",
    apply: "Apply",
    reset: "Clear the filters",
    any: "Any",
    connection: "Connection",
    "connection.connected": "Connected (has signed in)",
    "connection.never": "Never connected",
    enrolment: "Enrolment",
    "enrolment.enrolled": "Enrolled (has joined)",
    "enrolment.never": "Never enrolled",
    "enrolment.impossible": "No enrolment possible (no email or phone)",
    kind: "Internal or external",
    "kind.internal": "Internal",
    "kind.external": "External",
    account: "Account",
    "account.active": "Active",
    "account.deactivated": "Deactivated",
    "account.invited": "Invitation pending",
    source: "Source",
    "source.scim": "Identity provider (SCIM)",
    "source.admin": "Added by an admin",
    "source.csv": "Imported file",
    "source.jit": "Company SSO (first sign-in)",
    "source.signup": "Self sign-up",
    notOffered: "This choice is not offered: showing any",
    countExact: "{n} people match",
    countOne: "1 person matches",
    countMore: "More than {n} people match (about {estimate})",
    none: "Nobody matches these filters.",
    caption: "People matching the search and filters",
    select: "Select {name}",
    selectCol: "Select",
    name: "Name",
    userName: "userName",
    email: "Email",
    entity: "Entity",
    status: "Status",
    lastConnection: "Last connection",
    active: "Active",
    deactivated: "Deactivated",
    joined: "Joined",
    invited: "Invited",
    notInvited: "Never invited",
    external: "External",
    never: "Never",
    actOn: "Act on",
    selected: "The people selected below",
    allMatching: "All people matching the filters ({n})",
    filterFirst: "To act on everyone matching, choose at least one filter or search first.",
    invite: "Invite",
    disable: "Deactivate",
    enable: "Activate",
    prev: "Previous page",
    next: "Next page",
    pages: "Pages of people",
    first: "First page",
    noneSelected: "Select at least one person, or choose all people matching the filters.",
    emptyFilter: "Choose at least one filter or search before acting on all people matching.",
    unknownAction: "Choose invite, deactivate or activate.",
    jobs: "Recent mass actions and their progress",
  },
  fr: {
    title: "Personnes",
    search: "Rechercher",
    searchHint: "Noms, e-mail ou identifiant ; accents et majuscules indifférents",
    apply: "Appliquer",
    reset: "Effacer les filtres",
    any: "Tous",
    connection: "Connexion",
    "connection.connected": "Connecté (s'est déjà connecté)",
    "connection.never": "Jamais connecté",
    enrolment: "Enrôlement",
    "enrolment.enrolled": "Enrôlé (a rejoint)",
    "enrolment.never": "Jamais enrôlé",
    "enrolment.impossible": "Enrôlement impossible (ni e-mail ni téléphone)",
    kind: "Interne ou externe",
    "kind.internal": "Interne",
    "kind.external": "Externe",
    account: "Compte",
    "account.active": "Actif",
    "account.deactivated": "Désactivé",
    "account.invited": "Invitation en attente",
    source: "Source",
    "source.scim": "Fournisseur d'identité (SCIM)",
    "source.admin": "Ajouté par un administrateur",
    "source.csv": "Fichier importé",
    "source.jit": "SSO d'entreprise (première connexion)",
    "source.signup": "Inscription libre",
    notOffered: "Ce choix n'est pas proposé : tous sont affichés",
    countExact: "{n} personnes correspondent",
    countOne: "1 personne correspond",
    countMore: "Plus de {n} personnes correspondent (environ {estimate})",
    none: "Personne ne correspond à ces filtres.",
    caption: "Personnes correspondant à la recherche et aux filtres",
    select: "Sélectionner {name}",
    selectCol: "Choix",
    name: "Nom",
    userName: "Identifiant",
    email: "E-mail",
    entity: "Entité",
    status: "État",
    lastConnection: "Dernière connexion",
    active: "Actif",
    deactivated: "Désactivé",
    joined: "A rejoint",
    invited: "Invité",
    notInvited: "Jamais invité",
    external: "Externe",
    never: "Jamais",
    actOn: "Appliquer à",
    selected: "Les personnes sélectionnées ci-dessous",
    allMatching: "Toutes les personnes correspondant aux filtres ({n})",
    filterFirst: "Pour agir sur toutes les personnes correspondantes, choisissez d'abord un filtre ou une recherche.",
    invite: "Inviter",
    disable: "Désactiver",
    enable: "Activer",
    prev: "Page précédente",
    next: "Page suivante",
    pages: "Pages de personnes",
    first: "Première page",
    noneSelected: "Sélectionnez au moins une personne, ou toutes les personnes correspondant aux filtres.",
    emptyFilter:
      "Choisissez au moins un filtre ou une recherche avant d'agir sur toutes les personnes correspondantes.",
    unknownAction: "Choisissez inviter, désactiver ou activer.",
    jobs: "Actions groupées récentes et leur progression",
  },
};

/** A text with its {placeholders} filled. */
export const fill = (s: string, values: Record<string, string>): string =>
  s.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
