import { randomBytes } from "node:crypto";

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

export const uniqueName = (prefix = "user") => `${prefix}.${randomBytes(4).toString("hex")}@example.test`;

/** A SCIM User body with realistic defaults; `overrides` replace top-level attributes. */
export function buildScimUser(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const userName = (overrides.userName as string | undefined) ?? uniqueName();
  return {
    schemas: [USER_SCHEMA],
    userName,
    name: { givenName: "Ada", familyName: "Lovelace" },
    emails: [{ value: userName, type: "work", primary: true }],
    active: true,
    ...overrides,
  };
}

export const patchOp = (...Operations: Record<string, unknown>[]) => ({ schemas: [PATCH_OP], Operations });

export const uniqueGroupName = (prefix = "Group") => `${prefix} ${randomBytes(4).toString("hex")}`;
