/**
 * The statements the floor (bench/floor-routes.ts) runs: the text Roster sends for each SCIM workload, as seen on the
 * wire (a pg query trace of the server, 2026-12-02) and built by src/domain/users/users.repository.ts with the audit and
 * outbox CTEs of src/domain/unit-of-work.ts. Copied, not imported, so the floor stays one bare handler per workload.
 * Where Roster reads the row before it writes (PATCH, PUT), the floor runs only the write: see docs/perf/.
 */

/** Profile then meta columns, in users.repository.ts's order (the column lists of its SELECT and RETURNING). */
export const PROFILE: [string, string][] = [
  ["userName", "user_name"],
  ["externalId", "external_id"],
  ["nameFormatted", "name_formatted"],
  ["givenName", "given_name"],
  ["familyName", "family_name"],
  ["middleName", "middle_name"],
  ["honorificPrefix", "honorific_prefix"],
  ["honorificSuffix", "honorific_suffix"],
  ["displayName", "display_name"],
  ["nickName", "nick_name"],
  ["profileUrl", "profile_url"],
  ["title", "title"],
  ["userType", "user_type"],
  ["preferredLanguage", "preferred_language"],
  ["locale", "locale"],
  ["timezone", "timezone"],
  ["active", "active"],
  ["emails", "emails"],
  ["phoneNumbers", "phone_numbers"],
  ["extras", "extras"],
  ["employeeNumber", "employee_number"],
  ["costCenter", "cost_center"],
  ["organization", "organization"],
  ["division", "division"],
  ["department", "department"],
  ["managerId", "manager_id"],
];
const META: [string, string][] = [
  ["id", "id"],
  ["source", "source"],
  ["sourceRef", "source_ref"],
  ["removedAt", "removed_at"],
  ["createdAt", "created_at"],
  ["updatedAt", "updated_at"],
  ["version", "version"],
  ["entityId", "entity_id"],
  ["systemRole", "system_role"],
  ["adminScope", "admin_scope"],
  ["external", "external"],
  ["invitedAt", "invited_at"],
  ["enrolledAt", "enrolled_at"],
  ["lastLoginAt", "last_login_at"],
];
const JSONB = new Set(["emails", "phone_numbers", "extras"]);
const P = PROFILE.length;
const groupsOf = (id: string) =>
  `(SELECT COALESCE(jsonb_agg(jsonb_build_object('id', g.id, 'display', g.display_name) ORDER BY g.display_name, g.id), '[]'::jsonb)
  FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.user_id = ${id}) AS "groups"`;
const RETURNING = `${[...META, ...PROFILE].map(([p, c]) => `${c} AS "${p}"`).join(", ")}, ${groupsOf("users.id")}`;
const SELECT = `${[...META, ...PROFILE].map(([p, c]) => `u.${c} AS "${p}"`).join(", ")}, ${groupsOf("u.id")}`;
const SET_PROFILE = PROFILE.map(([, c], i) => `${c} = $${i + 2}${JSONB.has(c) ? "::jsonb" : ""}`).join(", ");

/** unit-of-work.ts's runWithEffects: the write, its audit records and outbox events as one statement. */
const withEffects = (write: string, n: number) => `WITH w AS (${write}),
  a AS (INSERT INTO audit_events (actor_type, actor_id, actor_name, door, action, target_type, target_id, changes, request_id)
        SELECT x.actor_type, x.actor_id, x.actor_name, x.door, x.action, x.target_type, x.target_id, x.changes, x.request_id
        FROM jsonb_to_recordset($${n + 1}::jsonb) AS x(actor_type text, actor_id text, actor_name text, door text, action text,
             target_type text, target_id text, changes jsonb, request_id text)
        WHERE EXISTS (SELECT 1 FROM w)),
  o AS (INSERT INTO outbox (topic, payload)
        SELECT x.topic, x.payload FROM jsonb_to_recordset($${n + 2}::jsonb) AS x(topic text, payload jsonb)
        WHERE EXISTS (SELECT 1 FROM w))
  SELECT * FROM w`;

/** GET /Users/{id}: UsersRepository.findLiveById. */
export const BY_ID = `SELECT ${SELECT} FROM users u WHERE u.id = $1 AND u.removed_at IS NULL`;

/** GET /Users?filter=userName eq "x" (and index pages): UsersRepository.list, the filter as Roster compiles it. */
export const pageSql = (filtered: boolean) => {
  const where = `u.removed_at IS NULL${filtered ? " AND (lower(u.user_name) = lower($1))" : ""}`;
  const k = filtered ? 1 : 0;
  return `SELECT ${SELECT} FROM users u WHERE u.id = ANY(ARRAY(
           SELECT u.id FROM users u WHERE ${where} ORDER BY u.created_at ASC, u.id ASC LIMIT $${k + 1} OFFSET $${k + 2}))
         ORDER BY u.created_at ASC, u.id ASC`;
};
/** A full index page does not tell the total: Roster counts (a second statement, on list pages only). */
export const COUNT = "SELECT count(*)::int AS count FROM users u WHERE u.removed_at IS NULL";

/** POST /Users: UsersRepository.insert with its effects ($1 id, $2..$27 profile, then source .. external, audits, events). */
export const INSERT = withEffects(
  `INSERT INTO users (id, ${PROFILE.map(([, c]) => c).join(", ")}, source, source_ref, password_hash, entity_id, system_role, admin_scope, external)
             VALUES ($1, ${PROFILE.map(([, c], i) => `$${i + 2}${JSONB.has(c) ? "::jsonb" : ""}`).join(", ")}, $${P + 2}, $${P + 3}, $${P + 4}, $${P + 5}, $${P + 6}, $${P + 7}::uuid[], $${P + 8})
             ON CONFLICT DO NOTHING RETURNING ${RETURNING}`,
  P + 8,
);

/** PUT /Users/{id}: UsersRepository.update with its effects, without the `version = $n` guard (the floor reads nothing first). */
export const REPLACE = withEffects(
  `UPDATE users SET ${SET_PROFILE}, password_hash = COALESCE($${P + 2}, password_hash),
             entity_id = $${P + 3}, system_role = $${P + 4}, admin_scope = $${P + 5}::uuid[], external = $${P + 6},
             updated_at = clock_timestamp(), version = version + 1
             WHERE id = $1 AND removed_at IS NULL RETURNING ${RETURNING}`,
  P + 6,
);

/** PATCH active: the one UPDATE that change needs, with Roster's RETURNING and effects (Roster writes every column). */
export const SET_ACTIVE = withEffects(
  `UPDATE users SET active = $2, updated_at = clock_timestamp(), version = version + 1
             WHERE id = $1 AND removed_at IS NULL RETURNING ${RETURNING}`,
  2,
);
