// An IdP's full replace (SCIM PUT) as ONE statement (decision 0132): the row locked and compared in the statement
// itself, and the audit diff computed there, with the same keys, order and values as UserUpdates' diffFields over
// auditView (test/integration/scim-put-one-statement.test.ts holds them equal). Read by UserUpdates.replaceAlone.
import type { DerivedEffects } from "../effects";
import { P, PROFILE_COLUMNS, RETURNING, SET_PROFILE } from "./user-rows";
import { liveUser } from "./users.fragments";

/**
 * auditView's keys in its order (profile fields, then name.*, then enterprise.*), each with its column; the extras'
 * keys follow (the set-based create's records read them too: users-create-many.sql.ts).
 */
export const AUDITED: [string, string][] = [
  ["userName", "user_name"],
  ["externalId", "external_id"],
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
  ["name.formatted", "name_formatted"],
  ["name.givenName", "given_name"],
  ["name.familyName", "family_name"],
  ["name.middleName", "middle_name"],
  ["name.honorificPrefix", "honorific_prefix"],
  ["name.honorificSuffix", "honorific_suffix"],
  ["enterprise.employeeNumber", "employee_number"],
  ["enterprise.costCenter", "cost_center"],
  ["enterprise.organization", "organization"],
  ["enterprise.division", "division"],
  ["enterprise.department", "department"],
  ["enterprise.managerId", "manager_id"],
];
/** The extras keys a SCIM body sets, in the order fromScimUser sets them (new keys come after the stored ones). */
const EXTRA_KEYS = ["addresses", "ims", "photos", "entitlements", "roles", "x509Certificates"];
const ARRAYS = new Set(["emails", "phone_numbers"]);
const param = (column: string) => `$${PROFILE_COLUMNS.findIndex(([, c]) => c === column) + 2}`;
const paramOf = (column: string) =>
  `${param(column)}::${column === "active" ? "boolean" : ARRAYS.has(column) ? "jsonb" : "text"}`;
/** A value as diffFields compares it: an empty list is no value (emptyToNull), as JSON. */
const audited = (column: string, expr: string) =>
  ARRAYS.has(column) ? `NULLIF(${expr}, '[]'::jsonb)` : `to_jsonb(${expr})`;
/** An extras entry as diffFields compares it: missing, null and an empty list are no value. */
const extra = (obj: string, key: string) => `NULLIF(NULLIF(${obj}->${key}, '[]'::jsonb), 'null'::jsonb)`;
const nonEmptyExtras = (obj: string) =>
  `(SELECT jsonb_object_agg(k, v) FROM jsonb_each(${obj}) AS e(k, v) WHERE v NOT IN ('[]'::jsonb, 'null'::jsonb))`;
const EXTRAS_PARAM = param("extras");

/**
 * Whether the body changes anything (the old row against the parameters; an admin-owned column keeps its value, so it
 * changes nothing); else no row, and the general path's no-op.
 */
const changes = (kept: Set<string>) => `(${AUDITED.filter(([, c]) => !kept.has(c))
  .map(([, c]) => `${audited(c, `old.o_${c}`)} IS DISTINCT FROM ${audited(c, paramOf(c))}`)
  .join(" OR ")}
  OR ${nonEmptyExtras("old.o_extras")} IS DISTINCT FROM ${nonEmptyExtras(`${EXTRAS_PARAM}::jsonb`)})`;

/** keepAdminOwned's `dropped`: each admin-owned field the body would have changed, named by its SCIM attribute. */
const dropped = (owned: [string, string][]) =>
  owned.length === 0
    ? "NULL::jsonb"
    : `(SELECT jsonb_agg(d.name ORDER BY d.ord) FROM (VALUES ${owned
        .map(([c, scim], i) => `(${i}, '${scim} (owned by admins)', old.o_${c} IS DISTINCT FROM ${paramOf(c)})`)
        .join(", ")}) AS d(ord, name, differs) WHERE d.differs)`;

/** [key, before, after] of every changed field, in diffFields' order (the stored extras keys first, then new ones). */
const DIFF = `(SELECT COALESCE(jsonb_agg(jsonb_build_array(d.k, d.b, d.a) ORDER BY d.ord), '[]'::jsonb) FROM (
    SELECT * FROM (VALUES ${AUDITED.map(([k, c], i) => `(${i}, '${k}', ${audited(c, `old.o_${c}`)}, ${audited(c, `users.${c}`)})`).join(", ")}) AS v(ord, k, b, a)
    UNION ALL
    SELECT 100 + n, k, ${extra("old.o_extras", "k")}, ${extra("users.extras", "k")} FROM jsonb_object_keys(old.o_extras) WITH ORDINALITY AS x(k, n)
    UNION ALL
    SELECT 200 + array_position(ARRAY[${EXTRA_KEYS.map((k) => `'${k}'`).join(", ")}], k), k, NULL, ${extra("users.extras", "k")}
      FROM jsonb_object_keys(users.extras) AS y(k) WHERE NOT old.o_extras ? k
  ) AS d WHERE d.b IS DISTINCT FROM d.a)`;

/**
 * Replaces a live user's profile ($2.. as UserStatements.update) when it changes anything and, with If-Match ($P+2),
 * the version is accepted; stamps the push. `owned` are the admin-owned [column, SCIM name] (field-ownership.ts, in
 * its order): their columns keep the stored value. The subquery's FOR UPDATE reads the newest row, so the diff is
 * against what the write replaces. RETURNING adds "diff" (DIFF) and "dropped" (the owned fields left as they were).
 */
export function replaceText(owned: [string, string][]): string {
  const key = owned.map(([c]) => c).join(",");
  const known = TEXTS.get(key);
  if (known) return known;
  const kept = new Set(owned.map(([c]) => c));
  const set = SET_PROFILE.split(", ")
    .map((a) => {
      const column = a.split(" = ")[0];
      return kept.has(column) ? `${column} = old.o_${column}` : a;
    })
    .join(", ");
  const text = `UPDATE users SET ${set}, last_pushed_at = clock_timestamp(), updated_at = clock_timestamp(),
             version = users.version + 1
             FROM (SELECT id AS o_id, ${AUDITED.map(([, c]) => `${c} AS o_${c}`).join(", ")}, extras AS o_extras FROM users
                   WHERE id = $1 AND ${liveUser()} AND ($${P + 2}::int[] IS NULL OR version = ANY($${P + 2}::int[])) FOR UPDATE) AS old
             WHERE users.id = old.o_id AND ${changes(kept)}
             RETURNING ${RETURNING}, ${DIFF} AS "diff", ${dropped(owned)} AS "dropped"`;
  TEXTS.set(key, text);
  return text;
}
/** One text per set of admin-owned fields (at most 2^8), each built once. */
const TEXTS = new Map<string, string>();

const changed = (where: string) => `SELECT 1 FROM jsonb_array_elements(w."diff") e WHERE ${where}`;
const PROFILE_DIFF = `((SELECT jsonb_object_agg(e->>0, jsonb_build_object('before', e->1, 'after', e->2))
  FROM jsonb_array_elements(w."diff") e WHERE e->>0 <> 'active')
  || CASE WHEN w."dropped" IS NULL THEN '{}'::jsonb
     ELSE jsonb_build_object('ignoredAttributes', jsonb_build_object('before', NULL, 'after', w."dropped")) END)`;
const FIELDS = `(SELECT jsonb_agg(e->0 ORDER BY n) FROM jsonb_array_elements(w."diff") WITH ORDINALITY AS x(e, n) WHERE e->>0 <> 'active')`;
const ACTIVE = `(SELECT jsonb_build_object('before', e->1, 'after', e->2) FROM jsonb_array_elements(w."diff") e WHERE e->>0 = 'active')`;
const SWITCH = `CASE WHEN w."active" THEN 'user.reactivated' ELSE 'user.deactivated' END`;

/** updateEffects' records, from the statement's diff: user.updated for profile fields, the switch for `active`. */
export const REPLACE_EFFECTS: DerivedEffects = {
  audits: `(SELECT COALESCE(jsonb_agg(x.r ORDER BY x.o), '[]'::jsonb) FROM (
    SELECT 1 AS o, jsonb_build_object('action', 'user.updated', 'target_type', 'user', 'target_id', w."id"::text, 'changes', ${PROFILE_DIFF}) AS r
      FROM w WHERE EXISTS (${changed("e->>0 <> 'active'")})
    UNION ALL
    SELECT 2, jsonb_build_object('action', ${SWITCH}, 'target_type', 'user', 'target_id', w."id"::text, 'changes', jsonb_build_object('active', ${ACTIVE}))
      FROM w WHERE EXISTS (${changed("e->>0 = 'active'")})) AS x)`,
  events: `(SELECT COALESCE(jsonb_agg(x.r ORDER BY x.o), '[]'::jsonb) FROM (
    SELECT 1 AS o, jsonb_build_object('topic', 'user.updated', 'payload', jsonb_build_object('userId', w."id"::text, 'fields', ${FIELDS})) AS r
      FROM w WHERE EXISTS (${changed("e->>0 <> 'active'")})
    UNION ALL
    SELECT 2, jsonb_build_object('topic', ${SWITCH}, 'payload', jsonb_build_object('userId', w."id"::text, 'wasActive', NOT w."active"))
      FROM w WHERE EXISTS (${changed("e->>0 = 'active'")})) AS x)`,
};
