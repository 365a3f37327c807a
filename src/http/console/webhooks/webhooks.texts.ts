import type { Texts } from "../i18n";

type Key =
  | "title"
  | "caption"
  | "url"
  | "events"
  | "description"
  | "state"
  | "enabled"
  | "disabled"
  | "created"
  | "none"
  | "more"
  | "newTitle"
  | "urlHint"
  | "create"
  | "createdTitle"
  | "secretLabel"
  | "secretOnce"
  | "open"
  | "backToList"
  | "disable"
  | "enable"
  | "rotate"
  | "rotatedTitle"
  | "overlap"
  | "delete"
  | "confirmDelete"
  | "confirm"
  | "cancel"
  | "deliveries"
  | "noDeliveries"
  | "event"
  | "status"
  | "attempts"
  | "lastError"
  | "lastAttempt"
  | "retry"
  | "older"
  | "done_enabled"
  | "done_disabled"
  | "done_deleted"
  | "done_retried"
  | "disabledWhy";

export const T: Texts<Key> = {
  en: {
    title: "Webhooks",
    caption: "Webhook endpoints",
    url: "URL",
    events: "Event types",
    description: "Description",
    state: "State",
    enabled: "enabled",
    disabled: "disabled",
    created: "Created",
    none: "No webhook endpoint yet.",
    more: "More endpoints",
    newTitle: "Add an endpoint",
    urlHint: "A public https address; Roster signs every delivery (Standard Webhooks).",
    create: "Add the endpoint",
    createdTitle: "Webhook endpoint added",
    secretLabel: "The signing secret (copy it now):",
    secretOnce: "This is the only time the secret is shown: Roster keeps it sealed. If it is lost, rotate it.",
    open: "Deliveries and settings",
    backToList: "Back to the webhooks",
    disable: "Disable",
    enable: "Enable",
    rotate: "Rotate the secret",
    rotatedTitle: "New signing secret",
    overlap: "The previous secret still signs until",
    delete: "Delete the endpoint",
    confirmDelete: "Delete this endpoint? Its pending deliveries are dropped. This cannot be undone.",
    confirm: "Yes, delete it",
    cancel: "Cancel",
    deliveries: "Recent deliveries",
    noDeliveries: "No delivery yet.",
    event: "Event",
    status: "Status",
    attempts: "Attempts",
    lastError: "Last error",
    lastAttempt: "Last attempt",
    retry: "Retry",
    older: "Older deliveries",
    done_enabled: "The endpoint is enabled.",
    done_disabled: "The endpoint is disabled: it gets no new deliveries.",
    done_deleted: "The endpoint is deleted.",
    done_retried: "The delivery will be sent again shortly.",
    disabledWhy: "Why",
  },
  fr: {
    title: "Webhooks",
    caption: "Points de terminaison des webhooks",
    url: "URL",
    events: "Types d'événements",
    description: "Description",
    state: "État",
    enabled: "activé",
    disabled: "désactivé",
    created: "Créé",
    none: "Aucun point de terminaison pour l'instant.",
    more: "Plus de points de terminaison",
    newTitle: "Ajouter un point de terminaison",
    urlHint: "Une adresse https publique ; Roster signe chaque envoi (Standard Webhooks).",
    create: "Ajouter le point de terminaison",
    createdTitle: "Point de terminaison ajouté",
    secretLabel: "Le secret de signature (copiez-le maintenant) :",
    secretOnce: "Le secret n'est affiché qu'une seule fois : Roster le garde scellé. S'il est perdu, renouvelez-le.",
    open: "Envois et réglages",
    backToList: "Retour aux webhooks",
    disable: "Désactiver",
    enable: "Activer",
    rotate: "Renouveler le secret",
    rotatedTitle: "Nouveau secret de signature",
    overlap: "L'ancien secret signe encore jusqu'au",
    delete: "Supprimer le point de terminaison",
    confirmDelete: "Supprimer ce point de terminaison ? Ses envois en attente sont abandonnés. C'est définitif.",
    confirm: "Oui, le supprimer",
    cancel: "Annuler",
    deliveries: "Envois récents",
    noDeliveries: "Aucun envoi pour l'instant.",
    event: "Événement",
    status: "Statut",
    attempts: "Tentatives",
    lastError: "Dernière erreur",
    lastAttempt: "Dernière tentative",
    retry: "Renvoyer",
    older: "Envois plus anciens",
    done_enabled: "Le point de terminaison est activé.",
    done_disabled: "Le point de terminaison est désactivé : il ne reçoit plus de nouveaux envois.",
    done_deleted: "Le point de terminaison est supprimé.",
    done_retried: "L'envoi sera refait sous peu.",
    disabledWhy: "Raison",
  },
};

/** The notice of `?done=<code>` after a post, redirect, get. */
export function doneText(lang: "en" | "fr", done: unknown): string | null {
  const key = `done_${String(done)}`;
  return key in T[lang] ? T[lang][key as Key] : null;
}
