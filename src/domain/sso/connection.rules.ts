// Pure checks of an SSO connection an admin writes: each bad field is an InvalidError naming it (a 400 at the door).
import { InvalidError } from "../errors";
import { parseIdpDomains } from "../settings/setting-kinds";
import { SYSTEM_ROLES, type SystemRole } from "../users/user";
import { type ClaimMapping, DEFAULT_SCOPES, type JitRules, defaultClaimMapping } from "./connection";
import { languageTag } from "./sso.rules";

/** A connection as an admin sends it (POST, PUT); the secret may be left out of a PUT to keep the stored one. */
export interface ConnectionInput {
  name: string;
  issuer: string;
  clientId: string;
  clientSecret?: string;
  scopes?: string[];
  linkClaim?: string | null;
  trustEmail?: boolean;
  jit: {
    enabled: boolean;
    allowedDomains?: string[];
    requiredClaims?: Record<string, string>;
    defaultRole?: string;
    defaultEntityId?: string | null;
    defaultLanguage?: string | null;
  };
  claimMapping?: Partial<ClaimMapping>;
  requiredGroups?: string[];
  enabled?: boolean;
}

const CLAIM = /^[A-Za-z0-9_:./-]{1,100}$/;
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/;

function claimName(field: string, v: string | null | undefined): string | null {
  if (v === undefined || v === null || v === "") return null;
  if (!CLAIM.test(v)) throw new InvalidError(field, `'${v}' is not a claim name`);
  return v;
}

/** The issuer as an https (or, under ALLOW_PRIVATE_TARGETS, http) URL without query or fragment, no trailing slash. */
export function checkIssuer(issuer: string): string {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new InvalidError("issuer", `'${issuer}' is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new InvalidError("issuer", "the issuer must be an https URL");
  if (url.search || url.hash || url.username)
    throw new InvalidError("issuer", "the issuer has no query, fragment or user");
  return issuer.replace(/\/$/, "");
}

/** Scopes with `openid` first (an OpenID sign-in needs it), distinct, each a valid scope token. */
export function checkScopes(scopes: string[] | undefined): string[] {
  if (!scopes || scopes.length === 0) return [...DEFAULT_SCOPES];
  scopes.forEach((s, i) => {
    if (!SCOPE.test(s)) throw new InvalidError(`scopes[${i}]`, `'${s}' is not a scope`);
  });
  return [...new Set(["openid", ...scopes])];
}

export function checkJit(jit: ConnectionInput["jit"]): JitRules {
  const role = jit.defaultRole ?? "member";
  if (!SYSTEM_ROLES.includes(role as SystemRole))
    throw new InvalidError("jit.defaultRole", `'${role}' is not one of ${SYSTEM_ROLES.join(", ")}`);
  let domains: string[];
  try {
    domains = parseIdpDomains(jit.allowedDomains ?? []).domains;
  } catch (e) {
    if (e instanceof InvalidError)
      throw new InvalidError(`jit.allowedDomains${e.field.slice("domains".length)}`, e.reason);
    throw e;
  }
  const required: Record<string, string> = {};
  for (const [claim, value] of Object.entries(jit.requiredClaims ?? {})) {
    claimName(`jit.requiredClaims.${claim}`, claim);
    if (typeof value !== "string" || value === "")
      throw new InvalidError(`jit.requiredClaims.${claim}`, "the value a claim must have is a non-empty text");
    required[claim] = value;
  }
  const language = jit.defaultLanguage ?? null;
  if (language !== null && languageTag(language) !== language)
    throw new InvalidError("jit.defaultLanguage", `'${language}' is not a language tag such as fr or en-GB`);
  return {
    enabled: jit.enabled,
    allowedDomains: domains,
    requiredClaims: required,
    defaultRole: role as SystemRole,
    defaultEntityId: jit.defaultEntityId ?? null,
    defaultLanguage: language,
  };
}

export function checkClaimMapping(m: Partial<ClaimMapping> | undefined): ClaimMapping {
  const d = defaultClaimMapping();
  return {
    givenName: claimName("claimMapping.givenName", m?.givenName) ?? d.givenName,
    familyName: claimName("claimMapping.familyName", m?.familyName) ?? d.familyName,
    language: m?.language === null ? null : (claimName("claimMapping.language", m?.language) ?? d.language),
    entity: claimName("claimMapping.entity", m?.entity),
    groups: claimName("claimMapping.groups", m?.groups) ?? d.groups,
  };
}

export function checkLinkClaim(v: string | null | undefined): string | null {
  return claimName("linkClaim", v);
}

export function checkRequiredGroups(groups: string[] | undefined): string[] {
  (groups ?? []).forEach((g, i) => {
    if (g.trim() === "") throw new InvalidError(`requiredGroups[${i}]`, "a group name is a non-empty text");
  });
  return [...new Set(groups ?? [])];
}
