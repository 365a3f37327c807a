import type { SystemRole } from "../users/user";

/** Just-in-time creation: who may be created at a first SSO sign-in, and with which defaults. */
export interface JitRules {
  enabled: boolean;
  /** Email domains (lower-case) a new person's verified email must be in; empty = any. */
  allowedDomains: string[];
  /** ID-token claim -> the value it must have (a list claim must contain it); all must hold. */
  requiredClaims: Record<string, string>;
  defaultRole: SystemRole;
  defaultEntityId: string | null;
  /** A language tag, or null: from the `language` claim of the mapping, else automatic. */
  defaultLanguage: string | null;
}

/** Which ID-token claims fill the profile of a person created just in time, and which carry their groups. */
export interface ClaimMapping {
  givenName: string;
  familyName: string;
  /** A claim holding a language tag (e.g. `locale`), or null. */
  language: string | null;
  /** A claim holding an entity's externalKey (the department), or null: the defaultEntityId applies. */
  entity: string | null;
  /** The claim listing the person's groups at the IdP (`groups`, Entra's `groups` or `roles`). */
  groups: string;
}

/**
 * A company IdP Roster signs people in with (an OpenID relying party of it). The client secret is never part of it:
 * it stays sealed in the store and is opened only to call the IdP's token endpoint.
 */
export interface SsoConnection {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  scopes: string[];
  /** The ID-token claim compared with the SCIM externalId at a first sign-in (Entra's `oid`), or null. */
  linkClaim: string | null;
  /** This IdP's email claim is treated as verified even without `email_verified: true`. */
  trustEmail: boolean;
  jit: JitRules;
  claimMapping: ClaimMapping;
  /** Groups one of which a person must be in at the IdP (the mapping's groups claim) to sign in; empty = no rule. */
  requiredGroups: string[];
  enabled: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What a sign-in needs beside the connection: the IdP's discovered metadata and the sealed secret. */
export interface SsoConnectionSecrets {
  serverMetadata: Record<string, unknown>;
  clientSecretSealed: string;
}

export const DEFAULT_SCOPES = ["openid", "email", "profile"];

export const defaultClaimMapping = (): ClaimMapping => ({
  givenName: "given_name",
  familyName: "family_name",
  language: "locale",
  entity: null,
  groups: "groups",
});

/** The purpose the client secret is sealed for (secret-box): a value sealed for another column never opens here. */
export const CLIENT_SECRET_PURPOSE = "sso.client_secret";
