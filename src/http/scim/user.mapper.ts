import { MultiValue, User, UserProfile, UserWrite, emptyProfile } from "../../domain/users/user";
import { ENTERPRISE_URN, USER_URN } from "./scimmy";

type Json = Record<string, unknown>;
const EXTRA_ATTRIBUTES = ["addresses", "ims", "photos", "entitlements", "roles", "x509Certificates"] as const;

/** ETag of a version (RFC 7644 §3.14); weak, as the representation may vary with attributes. */
export const etagOf = (version: number) => `W/"${version}"`;

/** Domain user -> SCIM User representation (RFC 7643 §4.1, §4.3). Absent values are omitted, never null. */
export function toScimUser(u: User, baseUrl: string): Json {
  const ent = u.enterprise;
  const enterprise = compact({
    employeeNumber: ent.employeeNumber, costCenter: ent.costCenter, organization: ent.organization,
    division: ent.division, department: ent.department,
    manager: ent.managerId ? { value: ent.managerId, $ref: `${baseUrl}/Users/${ent.managerId}` } : null,
  });
  const extras = Object.fromEntries(EXTRA_ATTRIBUTES.filter((k) => u.extras[k]?.length).map((k) => [k, u.extras[k]]));
  return compact({
    schemas: Object.keys(enterprise).length ? [USER_URN, ENTERPRISE_URN] : [USER_URN],
    id: u.id,
    externalId: u.externalId,
    userName: u.userName,
    name: nonEmpty(compact({ ...u.name })),
    displayName: u.displayName, nickName: u.nickName, profileUrl: u.profileUrl, title: u.title, userType: u.userType,
    preferredLanguage: u.preferredLanguage, locale: u.locale, timezone: u.timezone,
    active: u.active,
    emails: u.emails.length ? u.emails : null,
    phoneNumbers: u.phoneNumbers.length ? u.phoneNumbers : null,
    ...extras,
    [ENTERPRISE_URN]: nonEmpty(enterprise),
    meta: {
      resourceType: "User",
      created: u.createdAt.toISOString(),
      lastModified: u.updatedAt.toISOString(),
      location: `${baseUrl}/Users/${u.id}`,
      version: etagOf(u.version),
    },
  });
}

/** A SCIM User, already coerced by scimmy, -> what the domain writes. Everything not sent is unassigned (PUT semantics). */
export function fromScimUser(scim: Json): UserWrite {
  const p: UserProfile = emptyProfile(String(scim.userName ?? ""));
  const name = (scim.name ?? {}) as Json;
  for (const k of Object.keys(p.name) as (keyof UserProfile["name"])[]) p.name[k] = str(name[k]);
  p.externalId = str(scim.externalId);
  p.displayName = str(scim.displayName);
  p.nickName = str(scim.nickName);
  p.profileUrl = str(scim.profileUrl);
  p.title = str(scim.title);
  p.userType = str(scim.userType);
  p.preferredLanguage = str(scim.preferredLanguage);
  p.locale = str(scim.locale);
  p.timezone = str(scim.timezone);
  p.active = scim.active === undefined ? true : scim.active === true;
  p.emails = multi(scim.emails);
  p.phoneNumbers = multi(scim.phoneNumbers);
  for (const k of EXTRA_ATTRIBUTES) if (Array.isArray(scim[k]) && (scim[k] as unknown[]).length) p.extras[k] = plain(scim[k]) as unknown[];
  const ent = (scim[ENTERPRISE_URN] ?? {}) as Json;
  p.enterprise = {
    employeeNumber: str(ent.employeeNumber), costCenter: str(ent.costCenter), organization: str(ent.organization),
    division: str(ent.division), department: str(ent.department),
    managerId: str((ent.manager as Json | undefined)?.value),
  };
  const password = typeof scim.password === "string" && scim.password !== "" ? scim.password : undefined;
  return { profile: p, password };
}

const str = (v: unknown): string | null => (v === undefined || v === null || v === "" ? null : String(v));
const multi = (v: unknown): MultiValue[] => (Array.isArray(v) ? (plain(v) as MultiValue[]) : []);
/** scimmy hands back frozen, proxied instances: store plain JSON copies. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

function compact(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}

function nonEmpty(o: Json): Json | null {
  return Object.keys(o).length ? o : null;
}
