import type { Texts } from "../i18n";

/** The group pages' texts, in every console language. */
export const T: Texts<
  | "title"
  | "search"
  | "searchButton"
  | "caption"
  | "name"
  | "externalId"
  | "members"
  | "updated"
  | "none"
  | "prev"
  | "next"
  | "pages"
  | "first"
  | "fromIdp"
  | "created"
  | "membersCaption"
  | "person"
  | "email"
  | "entity"
  | "status"
  | "active"
  | "inactive"
  | "since"
  | "noMembers"
  | "remove"
  | "removeLabel"
  | "add"
  | "addNames"
  | "addNamesHint"
  | "addButton"
  | "find"
  | "findLabel"
  | "findButton"
  | "results"
  | "select"
  | "addSelected"
  | "nobodyFound"
  | "added"
  | "alreadyMembers"
  | "removed"
  | "back"
  | "scoped"
> = {
  en: {
    title: "Groups",
    search: "Name contains",
    searchButton: "Search",
    caption: "Groups, by name",
    name: "Name",
    externalId: "Identity provider's id",
    members: "Members",
    updated: "Last changed",
    none: "No group matches.",
    prev: "First page",
    next: "Next page",
    pages: "Pages",
    first: "First page",
    fromIdp:
      "Groups come from your identity provider (SCIM): it creates, renames and deletes them, so their name is read-only here. Admins change their members here.",
    created: "Created",
    membersCaption: "Members, in the order they are stored",
    person: "Person",
    email: "Email",
    entity: "Entity",
    status: "Status",
    active: "active",
    inactive: "deactivated",
    since: "Member since",
    noMembers: "No member on this page.",
    remove: "Remove",
    removeLabel: "Remove {name} from the group",
    add: "Add members",
    addNames: "People to add",
    addNamesHint: "One userName or email per line (or separated by commas).",
    addButton: "Add them",
    find: "Or find people",
    findLabel: "Search people (names, email, userName)",
    findButton: "Find",
    results: "People found (the first 20)",
    select: "Add {name}",
    addSelected: "Add the selected people",
    nobodyFound: "Nobody found.",
    added: "{n} added to the group.",
    alreadyMembers: "{n} already members.",
    removed: "The person was removed from the group.",
    back: "All groups",
    scoped: "You see and change only the members placed in your entities.",
  },
  fr: {
    title: "Groupes",
    search: "Le nom contient",
    searchButton: "Rechercher",
    caption: "Groupes, par nom",
    name: "Nom",
    externalId: "Identifiant chez le fournisseur d'identité",
    members: "Membres",
    updated: "Dernière modification",
    none: "Aucun groupe ne correspond.",
    prev: "Première page",
    next: "Page suivante",
    pages: "Pages",
    first: "Première page",
    fromIdp:
      "Les groupes viennent de votre fournisseur d'identité (SCIM) : il les crée, les renomme et les supprime, leur nom est donc en lecture seule ici. Les administrateurs changent leurs membres ici.",
    created: "Créé",
    membersCaption: "Membres, dans l'ordre où ils sont enregistrés",
    person: "Personne",
    email: "E-mail",
    entity: "Entité",
    status: "Statut",
    active: "active",
    inactive: "désactivée",
    since: "Membre depuis",
    noMembers: "Aucun membre sur cette page.",
    remove: "Retirer",
    removeLabel: "Retirer {name} du groupe",
    add: "Ajouter des membres",
    addNames: "Personnes à ajouter",
    addNamesHint: "Un userName ou un e-mail par ligne (ou séparés par des virgules).",
    addButton: "Les ajouter",
    find: "Ou chercher des personnes",
    findLabel: "Chercher des personnes (noms, e-mail, userName)",
    findButton: "Chercher",
    results: "Personnes trouvées (les 20 premières)",
    select: "Ajouter {name}",
    addSelected: "Ajouter les personnes choisies",
    nobodyFound: "Personne n'a été trouvé.",
    added: "{n} ajoutée(s) au groupe.",
    alreadyMembers: "{n} déjà membre(s).",
    removed: "La personne a été retirée du groupe.",
    back: "Tous les groupes",
    scoped: "Vous ne voyez et ne changez que les membres placés dans vos entités.",
  },
};

/** A text with its `{name}` or `{n}` filled in. */
export const fill = (text: string, values: Record<string, string>): string =>
  text.replace(/\{(\w+)\}/g, (all, k: string) => values[k] ?? all);
