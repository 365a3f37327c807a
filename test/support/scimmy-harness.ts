/** Shared setup for the unit tests that run the SCIM dialect normalisers through scimmy (test/unit/dialect-*.test.ts). */
import SCIMMY from "scimmy";
import { normalisePatchBody } from "../../src/http/scim/dialect";
import { ENTERPRISE, PATCH_OP, USER_SCHEMA } from "./factories";

export const USER = USER_SCHEMA;
export const ENT = ENTERPRISE;
export { PATCH_OP };

export type Json = Record<string, unknown>;
export type PatchRequest = ConstructorParameters<typeof SCIMMY.Messages.PatchOp>[0];

/** Declares scimmy's User resource with the enterprise extension, once per test file: use as `beforeAll(declareScimmyUser)`. */
export function declareScimmyUser(): void {
  if (!SCIMMY.Resources.declared(SCIMMY.Resources.User)) {
    SCIMMY.Resources.declare(SCIMMY.Resources.User).extend(SCIMMY.Schemas.EnterpriseUser, false);
  }
}

/** A value as it goes over the wire: plain JSON. */
export const toJson = (v: unknown): Json => JSON.parse(JSON.stringify(v)) as Json;

/** A user as GET /Users/{id} returns it. */
export function currentUser(): Json {
  return {
    schemas: [USER, ENT],
    id: "2819c223-7f76-453a-919d-413861904646",
    externalId: "e-1001",
    userName: "alice@contoso.com",
    name: { givenName: "Alice", familyName: "Smith", formatted: "Alice Smith" },
    displayName: "Alice Smith",
    active: true,
    emails: [{ value: "alice@contoso.com", type: "work", primary: true }],
    addresses: [{ type: "home", locality: "Springfield", country: "US" }],
    [ENT]: { employeeNumber: "1001", department: "Eng", manager: { value: "m-1", displayName: "Bob Boss" } },
    meta: {
      resourceType: "User",
      created: "2024-01-01T00:00:00.000Z",
      lastModified: "2024-01-01T00:00:00.000Z",
      location: "https://roster.example/scim/v2/Users/2819c223-7f76-453a-919d-413861904646",
      version: 'W/"1"',
    },
  };
}

export const patch = (...Operations: unknown[]): Json => ({ schemas: [PATCH_OP], Operations });
export const opsOf = (body: unknown): unknown[] => (body as { Operations: unknown[] }).Operations;

/** Normalises, then lets scimmy apply the PatchOp. Returns the patched user as JSON, or undefined when nothing changed. */
export async function apply(body: unknown, current: Json = currentUser()): Promise<Json | undefined> {
  const normalised = normalisePatchBody(body, current);
  const instance = new SCIMMY.Schemas.User(current, "out");
  const result = await new SCIMMY.Messages.PatchOp(normalised as PatchRequest).apply(instance, async (t) => t);
  return result === undefined ? undefined : toJson(result);
}

/** The body of Okta's full-replace PUT /Users/{id} for its test user (O20); `overrides` replace top-level attributes. */
export function oktaPutBody(overrides: Json = {}): Json {
  return {
    schemas: [USER],
    id: "23a35c27-23d3-4c03-b4c5-6443c09e7173",
    userName: "test.user@okta.local",
    name: { givenName: "Another", middleName: "", familyName: "User" },
    emails: [{ primary: true, value: "test.user@okta.local", type: "work", display: "test.user@okta.local" }],
    locale: "en-US",
    externalId: "00u1dhhb1fkIGP7RL1d8",
    groups: [],
    password: "1mz050nq",
    active: true,
    meta: { resourceType: "User" },
    ...overrides,
  };
}
