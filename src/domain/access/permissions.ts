import type { SystemRole } from "../users/user";

/**
 * What each system role allows, as the admin API shows it beside a person. An admin or auditor with an admin scope has
 * these rights over the people and entities of that scope only.
 */
export const PERMISSIONS: Record<SystemRole, readonly string[]> = {
  member: [],
  auditor: ["users:read", "entities:read", "groups:read", "audit:read"],
  admin: ["users:read", "users:write", "entities:read", "entities:write", "groups:read", "groups:write", "audit:read"],
};
