// The settings admins change at run time, each as a kind: its key, defaults, lenient reading and audit fields.
import { InvalidError } from "../errors";
import { type FieldOwnership, OWNED_FIELDS, defaultFieldOwnership, fieldOwnershipOf } from "../users/field-ownership";
import {
  COMMUNICATION_KEY,
  type CommunicationSetting,
  communicationOf,
  defaultCommunication,
  flatCommunication,
} from "./communication";

export interface SettingKind<T> {
  key: string;
  defaults(): T;
  /** A stored value read leniently: a field missing or of the wrong type keeps its default. */
  of(stored: unknown): T;
  /** The value as flat fields, for the audit diff (only the fields that changed are recorded). */
  flat(value: T): Record<string, unknown>;
}

export const COMMUNICATION: SettingKind<CommunicationSetting> = {
  key: COMMUNICATION_KEY,
  defaults: defaultCommunication,
  of: communicationOf,
  flat: flatCommunication,
};

/** Who owns each profile field both the IdP and admins write (decision 0103). */
export const FIELD_OWNERSHIP: SettingKind<FieldOwnership> = {
  key: "field-ownership",
  defaults: defaultFieldOwnership,
  of: fieldOwnershipOf,
  flat: (v) => Object.fromEntries(OWNED_FIELDS.map((f) => [f, v[f]])),
};

/**
 * The email domains an identity provider owns (decision 0105): until SSO connections say so, admins list them here.
 * The reconciliation report names people created by hand with an address in one of them.
 */
export interface IdpDomains {
  domains: string[];
}

export const IDP_DOMAINS: SettingKind<IdpDomains> = {
  key: "idp-domains",
  defaults: () => ({ domains: [] }),
  of: (stored) => {
    const d = stored && typeof stored === "object" ? (stored as Record<string, unknown>).domains : undefined;
    return { domains: Array.isArray(d) ? d.filter((x): x is string => typeof x === "string") : [] };
  },
  flat: (v) => ({ domains: v.domains }),
};

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The domains of a PUT, lower-cased, sorted and distinct; one that is not a domain name is an InvalidError naming it. */
export function parseIdpDomains(domains: string[]): IdpDomains {
  const out = new Set<string>();
  domains.forEach((raw, i) => {
    const d = raw.trim().toLowerCase().replace(/^@/, "");
    if (!DOMAIN.test(d)) throw new InvalidError(`domains[${i}]`, `'${raw}' is not a domain name (e.g. corp.example)`);
    out.add(d);
  });
  return { domains: [...out].sort() };
}

/** Self sign-up (off by default): whether people may create their own account, and what a new account gets. */
export interface SignUpSetting {
  enabled: boolean;
  defaultRole: "member" | "admin" | "auditor";
  defaultEntityId: string | null;
  /** The job title a new account starts with (the profile's `title`), or null. */
  defaultJobProfile: string | null;
}

const ROLES = ["member", "admin", "auditor"] as const;

export const SIGN_UP: SettingKind<SignUpSetting> = {
  key: "sign-up",
  defaults: () => ({ enabled: false, defaultRole: "member", defaultEntityId: null, defaultJobProfile: null }),
  of: (stored) => {
    const s = (stored && typeof stored === "object" ? stored : {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
    return {
      enabled: s.enabled === true,
      defaultRole: ROLES.includes(s.defaultRole as never) ? (s.defaultRole as SignUpSetting["defaultRole"]) : "member",
      defaultEntityId: str(s.defaultEntityId),
      defaultJobProfile: str(s.defaultJobProfile),
    };
  },
  flat: (v) => ({ ...v }),
};
