import type { Texts } from "../i18n";

/** The entity pages' texts, in every console language. */
export const T: Texts<
  | "title"
  | "tree"
  | "none"
  | "scoped"
  | "create"
  | "name"
  | "parent"
  | "top"
  | "externalKey"
  | "externalKeyHint"
  | "createButton"
  | "created"
  | "renamed"
  | "moved"
  | "deleted"
  | "where"
  | "children"
  | "people"
  | "seePeople"
  | "rename"
  | "renameButton"
  | "move"
  | "moveHint"
  | "moveButton"
  | "remove"
  | "removeHint"
  | "removeButton"
  | "back"
> = {
  en: {
    title: "Entities",
    tree: "The organisation's tree",
    none: "No entity yet.",
    scoped: "You see the part of the tree your admin scope covers.",
    create: "Create an entity",
    name: "Name",
    parent: "Placed under",
    top: "(top level)",
    externalKey: "External key",
    externalKeyHint: "Optional: the value your identity provider sends for this entity.",
    createButton: "Create the entity",
    created: "The entity was created.",
    renamed: "The entity was renamed.",
    moved: "The entity was moved.",
    deleted: "The entity was deleted.",
    where: "Where it sits",
    children: "Sub-entities",
    people: "People placed here",
    seePeople: "See its people",
    rename: "Rename",
    renameButton: "Rename the entity",
    move: "Move",
    moveHint: "Choose its new parent; it cannot go below itself or one of its own sub-entities.",
    moveButton: "Move the entity",
    remove: "Delete",
    removeHint: "Only an empty entity can be deleted: no sub-entities, no people, in no one's admin scope.",
    removeButton: "Delete the entity",
    back: "All entities",
  },
  fr: {
    title: "Entités",
    tree: "L'arborescence de l'organisation",
    none: "Aucune entité pour l'instant.",
    scoped: "Vous voyez la partie de l'arborescence couverte par votre périmètre d'administration.",
    create: "Créer une entité",
    name: "Nom",
    parent: "Placée sous",
    top: "(premier niveau)",
    externalKey: "Clé externe",
    externalKeyHint: "Facultatif : la valeur que votre fournisseur d'identité envoie pour cette entité.",
    createButton: "Créer l'entité",
    created: "L'entité a été créée.",
    renamed: "L'entité a été renommée.",
    moved: "L'entité a été déplacée.",
    deleted: "L'entité a été supprimée.",
    where: "Emplacement",
    children: "Sous-entités",
    people: "Personnes placées ici",
    seePeople: "Voir ses personnes",
    rename: "Renommer",
    renameButton: "Renommer l'entité",
    move: "Déplacer",
    moveHint:
      "Choisissez son nouveau parent ; elle ne peut pas aller sous elle-même ni sous l'une de ses sous-entités.",
    moveButton: "Déplacer l'entité",
    remove: "Supprimer",
    removeHint:
      "Seule une entité vide peut être supprimée : sans sous-entités, sans personnes, dans le périmètre de personne.",
    removeButton: "Supprimer l'entité",
    back: "Toutes les entités",
  },
};

/** The `?done=` codes of the entity pages (post, redirect, get) and their notice. */
export const DONE = ["created", "renamed", "moved", "deleted"] as const;
export type Done = (typeof DONE)[number];
export const doneOf = (q: unknown): Done | null =>
  (DONE as readonly string[]).includes(String(q)) ? (q as Done) : null;
