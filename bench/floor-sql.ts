/**
 * The statements the floor (bench/floor-routes.ts) runs: the text Roster sends for each SCIM workload, as seen on the
 * wire (a pg query trace of the server, 2026-12-02) and built by src/domain/users/users.repository.ts with the audit and
 * outbox CTEs of src/domain/unit-of-work.ts. The column lists and effect CTEs are
 * imported from Roster's own modules (pure text, no service), so the floor's statements cannot drift from Roster's.
 * Where Roster reads the row before it writes (PATCH, PUT), the floor runs only the write: see docs/perf/.
 */

import { withEffectsText as withEffects } from "../src/domain/unit-of-work";
import { JSONB, P, PROFILE_COLUMNS, RETURNING, SELECT, SET_PROFILE } from "../src/domain/users/user-rows";

/** Profile columns in users.repository.ts's order (the floor reads a SCIM body into them). */
export const PROFILE: [string, string][] = PROFILE_COLUMNS;

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
