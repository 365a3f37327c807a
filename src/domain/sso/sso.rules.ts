// Pure checks of a company SSO sign-in: what the ID token's claims allow (linking, just-in-time creation), no I/O.
import type { AccessErrorCode } from "../auth/access-errors";
import { type UserProfile, emptyProfile } from "../users/user";
import type { ClaimMapping, JitRules, SsoConnection } from "./connection";

export type Claims = Record<string, unknown>;

/** The ID token's email, lower-cased and trimmed, or null. */
export function emailOf(claims: Claims): string | null {
  const e = claims.email;
  return typeof e === "string" && e.includes("@") ? e.trim().toLowerCase() : null;
}

/**
 * Whether the email may identify the person: the IdP says so (`email_verified: true`, the boolean only: a string
 * "true" is not taken), or the admin chose to trust this IdP's emails. An unverified email never links nor creates an
 * account (the "nOAuth" takeover: anyone may type any address at some IdPs).
 */
export const emailVerified = (claims: Claims, trustEmail: boolean): boolean =>
  trustEmail || claims.email_verified === true;

/** The link claim's value as text (Entra's `oid`), or null when the connection has none or the token lacks it. */
export function linkClaimValue(claims: Claims, linkClaim: string | null): string | null {
  if (!linkClaim) return null;
  const v = claims[linkClaim];
  if (typeof v === "string" && v.trim() !== "") return v.trim();
  if (typeof v === "number") return String(v);
  return null;
}

/** The values of a claim as text: a string, a number, or a list of them. */
export function claimValues(claims: Claims, name: string): string[] {
  const v = claims[name];
  const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return list.filter((x) => typeof x === "string" || typeof x === "number" || typeof x === "boolean").map(String);
}

/** group_not_allowed when the connection requires groups and the token names none of them. */
export function groupRefusal(conn: Pick<SsoConnection, "requiredGroups" | "claimMapping">, claims: Claims) {
  if (conn.requiredGroups.length === 0) return null;
  const groups = new Set(claimValues(claims, conn.claimMapping.groups));
  return conn.requiredGroups.some((g) => groups.has(g)) ? null : ("group_not_allowed" as const);
}

/**
 * Why a person unknown to Roster may not be created just in time, or null when they may; checked in this order:
 * creation off, no verified email, a domain not allowed, a required claim value missing.
 */
export function jitRefusal(jit: JitRules, claims: Claims, verified: boolean): AccessErrorCode | null {
  if (!jit.enabled) return "jit_disabled";
  const email = emailOf(claims);
  if (!email) return "claim_missing";
  if (!verified) return "email_unverified";
  const domain = email.slice(email.lastIndexOf("@") + 1);
  if (jit.allowedDomains.length > 0 && !jit.allowedDomains.includes(domain)) return "domain_not_allowed";
  for (const [claim, value] of Object.entries(jit.requiredClaims)) {
    if (!claimValues(claims, claim).includes(value)) return "claim_missing";
  }
  return null;
}

const text = (claims: Claims, name: string | null): string | null => {
  if (!name) return null;
  const v = claims[name];
  return typeof v === "string" && v.trim() !== "" ? v.trim().slice(0, 256) : null;
};

/** A language tag as Roster keeps them (`fr`, `en-GB`; `fr_FR` from some IdPs becomes `fr-FR`), or null. */
export function languageTag(raw: string | null): string | null {
  if (!raw) return null;
  const tag = raw.replace("_", "-");
  return /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(tag) ? tag : null;
}

/** The profile of a person created just in time: email as userName, names and language from the mapped claims. */
export function jitProfile(claims: Claims, email: string, mapping: ClaimMapping, jit: JitRules): UserProfile {
  const profile = emptyProfile(email);
  profile.name.givenName = text(claims, mapping.givenName);
  profile.name.familyName = text(claims, mapping.familyName);
  const shown = [profile.name.givenName, profile.name.familyName].filter(Boolean).join(" ");
  profile.name.formatted = shown || null;
  profile.displayName = shown || text(claims, "name");
  profile.preferredLanguage = languageTag(text(claims, mapping.language)) ?? jit.defaultLanguage;
  return profile;
}

/** The entity key the mapping's entity claim carries, or null. */
export const entityKeyOf = (claims: Claims, mapping: ClaimMapping): string | null => text(claims, mapping.entity);
