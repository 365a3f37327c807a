import type { Language } from "../../../domain/language";

/**
 * What the stable reason codes of a mass action's items mean, for the job's page (the code is shown beside it, as the
 * admin API gives it). A code not listed here is shown alone.
 */
const REASONS: Record<Language, Record<string, string>> = {
  en: {
    no_contact: "No email address or phone number an invitation could go to",
    channels_off: "Both invitation channels (email and SMS) are turned off",
    already_joined: "Has already joined: no invitation is sent again",
    user_inactive: "Deactivated: activate the account before inviting",
    sso_only: "People sign in with single sign-on here: no invitation link is sent",
    out_of_scope: "Outside the entities you may change",
    cannot_disable_self: "You cannot deactivate yourself",
    cannot_deactivate_self: "You cannot deactivate yourself",
    already_enabled: "Already active",
    already_disabled: "Already deactivated",
    not_found: "Not found, or outside what you may see",
    internal_error: "Failed on our side (logged)",
  },
  fr: {
    no_contact: "Ni adresse e-mail ni numéro de téléphone où envoyer une invitation",
    channels_off: "Les deux canaux d'invitation (e-mail et SMS) sont désactivés",
    already_joined: "A déjà rejoint : aucune invitation n'est renvoyée",
    user_inactive: "Désactivé : activez le compte avant d'inviter",
    sso_only: "Ici, on se connecte par SSO : aucun lien d'invitation n'est envoyé",
    out_of_scope: "Hors des entités que vous pouvez modifier",
    cannot_disable_self: "Vous ne pouvez pas vous désactiver vous-même",
    cannot_deactivate_self: "Vous ne pouvez pas vous désactiver vous-même",
    already_enabled: "Déjà actif",
    already_disabled: "Déjà désactivé",
    not_found: "Introuvable, ou hors de ce que vous pouvez voir",
    internal_error: "Échec de notre côté (journalisé)",
  },
};

export const reasonText = (lang: Language, code: string): string | null => REASONS[lang][code] ?? null;
