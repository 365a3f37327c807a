import { type MultiValue, type User, type UserProfile, type UserWrite, emptyProfile } from "../../domain/users/user";
import { ENTERPRISE_URN, USER_URN } from "./scimmy";

type Json = Record<string, unknown>;
const EXTRA_ATTRIBUTES = ["addresses", "ims", "photos", "entitlements", "roles", "x509Certificates"] as const;

/** ETag of a version (RFC 7644 §3.14); weak, as the representation may vary with attributes. */
export const etagOf = (version: number) => `W/"${version}"`;

/** Domain user -> SCIM User representation (RFC 7643 §4.1, §4.3). Absent values are omitted, never null. */
export function toScimUser(u: User, baseUrl: string): Json {
  // Built with plain assignments: this runs once per user on every list page.
  const out: Json = { schemas: [USER_URN], id: u.id };
  put(out, "externalId", u.externalId);
  out.userName = u.userName;
  const name: Json = {};
  for (const k in u.name) put(name, k, u.name[k as keyof typeof u.name]);
  if (!isEmpty(name)) out.name = name;
  put(out, "displayName", u.displayName);
  put(out, "nickName", u.nickName);
  put(out, "profileUrl", u.profileUrl);
  put(out, "title", u.title);
  put(out, "userType", u.userType);
  put(out, "preferredLanguage", u.preferredLanguage);
  put(out, "locale", u.locale);
  put(out, "timezone", u.timezone);
  out.active = u.active;
  if (u.emails.length) out.emails = u.emails;
  if (u.phoneNumbers.length) out.phoneNumbers = u.phoneNumbers;
  if (u.groups.length)
    out.groups = u.groups.map((g) => ({ value: g.id, display: g.display, $ref: `${baseUrl}/Groups/${g.id}` }));
  for (const k of EXTRA_ATTRIBUTES) if (u.extras[k]?.length) out[k] = u.extras[k];
  const ent = u.enterprise;
  const enterprise: Json = {};
  put(enterprise, "employeeNumber", ent.employeeNumber);
  put(enterprise, "costCenter", ent.costCenter);
  put(enterprise, "organization", ent.organization);
  put(enterprise, "division", ent.division);
  put(enterprise, "department", ent.department);
  if (ent.managerId) enterprise.manager = { value: ent.managerId, $ref: `${baseUrl}/Users/${ent.managerId}` };
  if (!isEmpty(enterprise)) {
    out.schemas = [USER_URN, ENTERPRISE_URN];
    out[ENTERPRISE_URN] = enterprise;
  }
  out.meta = {
    resourceType: "User",
    created: u.createdAt.toISOString(),
    lastModified: u.updatedAt.toISOString(),
    location: `${baseUrl}/Users/${u.id}`,
    version: etagOf(u.version),
  };
  return out;
}

function put(o: Json, key: string, value: string | null): void {
  if (value !== null && value !== undefined) o[key] = value;
}

function isEmpty(o: Json): boolean {
  for (const _ in o) return false;
  return true;
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
  for (const k of EXTRA_ATTRIBUTES)
    if (Array.isArray(scim[k]) && (scim[k] as unknown[]).length) p.extras[k] = plain(scim[k]) as unknown[];
  const ent = (scim[ENTERPRISE_URN] ?? {}) as Json;
  p.enterprise = {
    employeeNumber: str(ent.employeeNumber),
    costCenter: str(ent.costCenter),
    organization: str(ent.organization),
    division: str(ent.division),
    department: str(ent.department),
    managerId: str((ent.manager as Json | undefined)?.value),
  };
  const password = typeof scim.password === "string" && scim.password !== "" ? scim.password : undefined;
  return { profile: p, password };
}

const str = (v: unknown): string | null => (v === undefined || v === null || v === "" ? null : String(v));
const multi = (v: unknown): MultiValue[] => (Array.isArray(v) ? (plain(v) as MultiValue[]) : []);
/** scimmy hands back frozen, proxied instances: store plain JSON copies. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
