import type { Texts } from "../i18n";

/** The job pages' texts, in every console language. */
export const T: Texts<
  | "title"
  | "listTitle"
  | "started"
  | "action.invite"
  | "action.disable"
  | "action.enable"
  | "status.queued"
  | "status.running"
  | "status.done"
  | "progress"
  | "processed"
  | "total"
  | "done"
  | "skipped"
  | "failed"
  | "notFound"
  | "pending"
  | "requestedBy"
  | "createdAt"
  | "finishedAt"
  | "problems"
  | "problemsCaption"
  | "person"
  | "outcome"
  | "reason"
  | "morePro"
  | "noProblems"
  | "back"
  | "jobsCaption"
  | "job"
  | "none"
  | "unknownPerson"
> = {
  en: {
    title: "Mass action: {action}",
    listTitle: "Recent mass actions",
    started: "The action is recorded; its progress is shown below.",
    "action.invite": "invite",
    "action.disable": "deactivate",
    "action.enable": "activate",
    "status.queued": "Waiting to start",
    "status.running": "Running",
    "status.done": "Finished",
    progress: "Progress",
    processed: "{n} of {total} people processed",
    total: "People",
    done: "Done",
    skipped: "Skipped",
    failed: "Failed",
    notFound: "Not found or out of reach",
    pending: "Still to do",
    requestedBy: "Asked for by",
    createdAt: "Started",
    finishedAt: "Finished at",
    problems: "People skipped or failed",
    problemsCaption: "Each person the action skipped or failed for, with why",
    person: "Person",
    outcome: "Outcome",
    reason: "Why",
    morePro: "Only the first {n} are shown.",
    noProblems: "No one skipped or failed.",
    back: "Back to the people",
    jobsCaption: "The newest mass actions",
    job: "Action",
    none: "No mass action yet.",
    unknownPerson: "(no longer listed)",
  },
  fr: {
    title: "Action groupée : {action}",
    listTitle: "Actions groupées récentes",
    started: "L'action est enregistrée ; sa progression s'affiche ci-dessous.",
    "action.invite": "inviter",
    "action.disable": "désactiver",
    "action.enable": "activer",
    "status.queued": "En attente",
    "status.running": "En cours",
    "status.done": "Terminée",
    progress: "Progression",
    processed: "{n} personnes traitées sur {total}",
    total: "Personnes",
    done: "Faites",
    skipped: "Ignorées",
    failed: "En échec",
    notFound: "Introuvables ou hors périmètre",
    pending: "Restantes",
    requestedBy: "Demandée par",
    createdAt: "Lancée",
    finishedAt: "Terminée le",
    problems: "Personnes ignorées ou en échec",
    problemsCaption: "Chaque personne ignorée ou en échec, avec la raison",
    person: "Personne",
    outcome: "Résultat",
    reason: "Raison",
    morePro: "Seules les {n} premières sont affichées.",
    noProblems: "Personne n'a été ignoré ni n'est en échec.",
    back: "Retour aux personnes",
    jobsCaption: "Les actions groupées les plus récentes",
    job: "Action",
    none: "Aucune action groupée pour l'instant.",
    unknownPerson: "(plus listée)",
  },
};
