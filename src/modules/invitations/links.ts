import type { Config } from "../../config/env";

export interface InvitationLinks {
  /** The link a person follows, for a token. */
  linkFor(token: string): string;
  /** The first invitation link in a text (a message's body), or null. */
  find(text: string): string | null;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Invitation links: INVITE_LINK_TEMPLATE with the token in place of `{token}`, else PUBLIC_BASE_URL/auth/invitations/<token>. */
export function invitationLinks(
  cfg: Pick<Config, "PUBLIC_BASE_URL" | "HOST" | "PORT" | "INVITE_LINK_TEMPLATE">,
): InvitationLinks {
  const base = (cfg.PUBLIC_BASE_URL ?? `http://${cfg.HOST}:${cfg.PORT}`).replace(/\/$/, "");
  const template = cfg.INVITE_LINK_TEMPLATE ?? `${base}/auth/invitations/{token}`;
  const [before, after] = [
    template.slice(0, template.indexOf("{token}")),
    template.slice(template.indexOf("{token}") + "{token}".length),
  ];
  const pattern = new RegExp(`${escapeRegExp(before)}[A-Za-z0-9_-]{20,}${escapeRegExp(after)}`);
  return {
    linkFor: (token) => template.replace("{token}", token),
    find: (text) => pattern.exec(text)?.[0] ?? null,
  };
}
