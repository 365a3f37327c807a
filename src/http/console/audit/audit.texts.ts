import type { Texts } from "../i18n";

/** The audit pages' texts, in every console language. */
export const T: Texts<
  | "title"
  | "filters"
  | "actor"
  | "actorHint"
  | "door"
  | "anyDoor"
  | "action"
  | "actionHint"
  | "user"
  | "group"
  | "subjectHint"
  | "from"
  | "to"
  | "utc"
  | "apply"
  | "clear"
  | "caption"
  | "seq"
  | "at"
  | "subject"
  | "changes"
  | "none"
  | "first"
  | "next"
  | "pages"
  | "export"
  | "exportHint"
  | "csv"
  | "ndjson"
  | "chain"
  | "verifyNow"
  | "verifying"
  | "verified"
  | "broken"
  | "empty"
  | "head"
  | "checkedAt"
  | "scopedChain"
  | "back"
> = {
  en: {
    title: "Audit log",
    filters: "Filters",
    actor: "Actor",
    actorHint: "A person's or token's id, or their name.",
    door: "Door",
    anyDoor: "(any door)",
    action: "Action",
    actionHint: "user.updated, or a prefix such as user.* for every action on people.",
    user: "About the person (id)",
    group: "About the group (id)",
    subjectHint: "The subject's id, as shown in the list.",
    from: "From",
    to: "Before",
    utc: "In UTC.",
    apply: "Apply the filters",
    clear: "Clear the filters",
    caption: "Audit records, newest first",
    seq: "No.",
    at: "When",
    subject: "Subject",
    changes: "Changes",
    none: "No record matches.",
    first: "Newest",
    next: "Older",
    pages: "Pages",
    export: "Export",
    exportHint: "Every record matching the filters above, oldest first.",
    csv: "Download as CSV",
    ndjson: "Download as NDJSON",
    chain: "Chain verification",
    verifyNow: "Verify the chain now",
    verifying: "Verifying the chain…",
    verified: "Verified: the {n} records up to No. {seq} each follow the one before and match their hash.",
    broken: "The chain breaks at No. {seq}: {problem}",
    empty: "Nothing recorded yet.",
    head: "Head hash (note it to anchor a later check)",
    checkedAt: "Checked",
    scopedChain: "The chain spans the whole organisation: an admin or auditor of all of it sees its verification.",
    back: "Back to the audit log",
  },
  fr: {
    title: "Journal d'audit",
    filters: "Filtres",
    actor: "Auteur",
    actorHint: "L'identifiant d'une personne ou d'un jeton, ou son nom.",
    door: "Porte",
    anyDoor: "(toutes les portes)",
    action: "Action",
    actionHint: "user.updated, ou un préfixe comme user.* pour toutes les actions sur les personnes.",
    user: "Concernant la personne (id)",
    group: "Concernant le groupe (id)",
    subjectHint: "L'identifiant du sujet, tel qu'affiché dans la liste.",
    from: "À partir du",
    to: "Avant le",
    utc: "En UTC.",
    apply: "Appliquer les filtres",
    clear: "Effacer les filtres",
    caption: "Enregistrements d'audit, les plus récents d'abord",
    seq: "N°",
    at: "Quand",
    subject: "Sujet",
    changes: "Modifications",
    none: "Aucun enregistrement ne correspond.",
    first: "Plus récents",
    next: "Plus anciens",
    pages: "Pages",
    export: "Exporter",
    exportHint: "Tous les enregistrements correspondant aux filtres ci-dessus, les plus anciens d'abord.",
    csv: "Télécharger en CSV",
    ndjson: "Télécharger en NDJSON",
    chain: "Vérification de la chaîne",
    verifyNow: "Vérifier la chaîne maintenant",
    verifying: "Vérification de la chaîne…",
    verified:
      "Vérifiée : les {n} enregistrements jusqu'au n° {seq} suivent chacun le précédent et correspondent à leur empreinte.",
    broken: "La chaîne est rompue au n° {seq} : {problem}",
    empty: "Rien n'est encore enregistré.",
    head: "Empreinte de tête (notez-la pour ancrer une vérification ultérieure)",
    checkedAt: "Vérifiée le",
    scopedChain:
      "La chaîne couvre toute l'organisation : un administrateur ou auditeur de toute l'organisation voit sa vérification.",
    back: "Retour au journal d'audit",
  },
};

/** A text with its `{name}`s filled in. */
export const fill = (text: string, values: Record<string, string>): string =>
  text.replace(/\{(\w+)\}/g, (all, k: string) => values[k] ?? all);
