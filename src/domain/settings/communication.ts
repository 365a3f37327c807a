import type { UserSource } from "../users/user";

/** The sources whose people the communication setting may invite automatically (an admin always decides explicitly). */
export const AUTO_INVITE_SOURCES = ["scim", "csv"] as const;
export type AutoInviteSource = (typeof AUTO_INVITE_SOURCES)[number];

/** How the platform talks to people: whether IdP- and CSV-created people are invited at once, and on which channels. */
export interface CommunicationSetting {
  autoInvite: Record<AutoInviteSource, boolean>;
  channels: { email: boolean; sms: boolean };
}

export const COMMUNICATION_KEY = "communication";

/** The published defaults: nobody is invited automatically; email and SMS are both on. */
export const defaultCommunication = (): CommunicationSetting => ({
  autoInvite: { scim: false, csv: false },
  channels: { email: true, sms: true },
});

/** A stored value read leniently: a field missing or of the wrong type keeps its default (a newer field, an older row). */
export function communicationOf(stored: unknown): CommunicationSetting {
  const d = defaultCommunication();
  const obj = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const bool = (v: unknown, fallback: boolean) => (typeof v === "boolean" ? v : fallback);
  const s = obj(stored);
  const auto = obj(s.autoInvite);
  const ch = obj(s.channels);
  return {
    autoInvite: { scim: bool(auto.scim, d.autoInvite.scim), csv: bool(auto.csv, d.autoInvite.csv) },
    channels: { email: bool(ch.email, d.channels.email), sms: bool(ch.sms, d.channels.sms) },
  };
}

/** The setting as flat fields (`autoInvite.scim`...), for the audit diff. */
export function flatCommunication(c: CommunicationSetting): Record<string, boolean> {
  return {
    "autoInvite.scim": c.autoInvite.scim,
    "autoInvite.csv": c.autoInvite.csv,
    "channels.email": c.channels.email,
    "channels.sms": c.channels.sms,
  };
}

/** Whether people from `source` are invited when created: only IdP (scim) and CSV sources, as the setting says. */
export function autoInvites(c: CommunicationSetting, source: UserSource): boolean {
  return (AUTO_INVITE_SOURCES as readonly string[]).includes(source) && c.autoInvite[source as AutoInviteSource];
}
