import escapeHtml from "escape-html";
import type { Language } from "../../domain/language";

export interface InvitationContent {
  platform: string;
  givenName: string | null;
  link: string;
  expiresAt: Date;
  timezone: string | null;
  /** The space (group) an external person is invited into. */
  space: string | null;
  language: Language;
}

function formatExpiry(at: Date, language: Language, timezone: string | null): string {
  const opts: Intl.DateTimeFormatOptions = {
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  };
  try {
    return new Intl.DateTimeFormat(language, { ...opts, timeZone: timezone ?? "UTC" }).format(at);
  } catch {
    return new Intl.DateTimeFormat(language, { ...opts, timeZone: "UTC" }).format(at);
  }
}

const TEXTS = {
  en: {
    subject: (c: InvitationContent) =>
      c.space ? `You are invited to ${c.space} on ${c.platform}` : `You are invited to join ${c.platform}`,
    hello: (c: InvitationContent) => (c.givenName ? `Hello ${c.givenName},` : "Hello,"),
    body: (c: InvitationContent) =>
      c.space
        ? `You have been invited to join the space "${c.space}" on ${c.platform}.`
        : `An account has been created for you on ${c.platform}.`,
    action: "Set your password to join:",
    button: "Set my password",
    expiry: (when: string) => `This link can be used once and expires on ${when}.`,
    ignore: "If you were not expecting this invitation, you can ignore this message.",
    sms: (c: InvitationContent, when: string) =>
      `${c.platform}: you are invited to ${c.space ? `the space "${c.space}"` : "join"}. Set your password: ${c.link} (valid until ${when})`,
  },
  fr: {
    subject: (c: InvitationContent) =>
      c.space ? `Vous êtes invité·e dans ${c.space} sur ${c.platform}` : `Vous êtes invité·e à rejoindre ${c.platform}`,
    hello: (c: InvitationContent) => (c.givenName ? `Bonjour ${c.givenName},` : "Bonjour,"),
    body: (c: InvitationContent) =>
      c.space
        ? `Vous avez été invité·e à rejoindre l'espace « ${c.space} » sur ${c.platform}.`
        : `Un compte a été créé pour vous sur ${c.platform}.`,
    action: "Choisissez votre mot de passe pour nous rejoindre :",
    button: "Choisir mon mot de passe",
    expiry: (when: string) => `Ce lien ne peut servir qu'une fois et expire le ${when}.`,
    ignore: "Si vous n'attendiez pas cette invitation, vous pouvez ignorer ce message.",
    sms: (c: InvitationContent, when: string) =>
      `${c.platform} : vous êtes invité·e${c.space ? ` dans l'espace « ${c.space} »` : ""}. Choisissez votre mot de passe : ${c.link} (valable jusqu'au ${when})`,
  },
} as const;

/** The invitation email in the person's language, as text and HTML (every inserted value escaped). */
export function invitationEmail(c: InvitationContent): { subject: string; text: string; html: string } {
  const t = TEXTS[c.language];
  const when = formatExpiry(c.expiresAt, c.language, c.timezone);
  const text = [
    t.hello(c),
    "",
    t.body(c),
    t.action,
    "",
    c.link,
    "",
    t.expiry(when),
    "",
    t.ignore,
    "",
    `— ${c.platform}`,
  ].join("\n");
  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="${c.language}"><head><meta charset="utf-8"><title>${e(t.subject(c))}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; color: #222;">
<p>${e(t.hello(c))}</p>
<p>${e(t.body(c))}<br>${e(t.action)}</p>
<p><a href="${e(c.link)}" style="display: inline-block; padding: 10px 18px; background: #2b59c3; color: #fff; text-decoration: none; border-radius: 4px;">${e(t.button)}</a></p>
<p style="font-size: 90%;">${e(c.link)}</p>
<p>${e(t.expiry(when))}</p>
<p style="color: #666; font-size: 90%;">${e(t.ignore)}</p>
<p>— ${e(c.platform)}</p>
</body></html>`;
  return { subject: t.subject(c), text, html };
}

export function invitationSms(c: InvitationContent): string {
  return TEXTS[c.language].sms(c, formatExpiry(c.expiresAt, c.language, c.timezone));
}
