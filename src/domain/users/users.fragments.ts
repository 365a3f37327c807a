/**
 * SQL fragments over `users` that other modules' statements interpolate when one statement must read across tables
 * (member pages, rights, search conditions). The table is named only in this folder; each fragment returns fixed text
 * for fixed arguments, so the statements stay prepared (src/db/sql.ts).
 */

const column = (alias: string | undefined, name: string) => (alias ? `${alias}.${name}` : name);

/** "Not removed": the one definition of a live user (an IdP's DELETE keeps the row, with removed_at set). */
export const liveUser = (alias?: string) => `${column(alias, "removed_at")} IS NULL`;

/** The opposite of liveUser: an account an IdP removed. */
export const removedUser = (alias?: string) => `${column(alias, "removed_at")} IS NOT NULL`;

/** The name a user is shown with: the displayName, else the userName. */
export const userDisplay = (alias: string) => `COALESCE(${alias}.display_name, ${alias}.user_name)`;

/** `JOIN users <alias> ON <on>`: every user row, removed or not (pair with liveUser/removedUser). */
export const usersJoin = (alias: string, on: string) => `JOIN users ${alias} ON ${on}`;

/** `JOIN` of the live users `on` names, limited to the entities of `$scopeParam` when it is given. */
export const liveUsersJoin = (alias: string, on: string, scopeParam?: number) =>
  `${usersJoin(alias, on)} AND ${liveUser(alias)}${scopeParam === undefined ? "" : ` AND ${alias}.entity_id = ANY($${scopeParam}::uuid[])`}`;

/**
 * The live user with id `idExpr` (within the entities of `$scopeParam`, if given) as a lateral probe by primary key:
 * `OFFSET 0` keeps it a per-row lookup rather than a join the planner may start from the wrong end.
 */
export const liveUserProbe = (alias: string, idExpr: string, scopeParam?: number) =>
  `LATERAL (SELECT u.* FROM users u WHERE u.id = ${idExpr} AND ${liveUser("u")}${scopeParam === undefined ? "" : ` AND u.entity_id = ANY($${scopeParam}::uuid[])`} OFFSET 0) ${alias}`;

/**
 * The live users among `idsParam` (uuid[]) with the name each is shown with, share-locked until the transaction ends:
 * they cannot be removed before it commits.
 */
export const liveUsersForShare = (idsParam: string) =>
  `SELECT u.id, ${userDisplay("u")} AS display FROM users u WHERE u.id = ANY(${idsParam}::uuid[]) AND ${liveUser("u")} FOR SHARE`;

/** The users a search condition (on `users u`) selects: `users u WHERE <where>`, for a FROM. */
export const usersWhere = (whereSql: string) => `users u WHERE ${whereSql}`;

/** Whether the user `idExpr` is one of the entities of `scopeParam` (a parameter such as `$3`). */
export const userInEntities = (idExpr: string, scopeParam: string) =>
  `EXISTS (SELECT 1 FROM users u WHERE u.id = ${idExpr} AND u.entity_id = ANY(${scopeParam}::uuid[]))`;

/** Whether the user `idExpr` may still be sent an invitation link: live, active, not joined. */
export const invitableUser = (idExpr: string) =>
  `EXISTS (SELECT 1 FROM users u WHERE u.id = ${idExpr} AND ${liveUser("u")} AND u.active AND u.enrolled_at IS NULL)`;

/** The people hanging on entity `param`: live ones counted, any row at all, and admin scopes naming it. */
export const entityUsage = (
  param: string,
) => `(SELECT count(*)::int FROM users WHERE entity_id = ${param} AND ${liveUser()}) AS "liveUsers",
             EXISTS (SELECT 1 FROM users WHERE entity_id = ${param}) AS "anyUsers",
             EXISTS (SELECT 1 FROM users WHERE cardinality(admin_scope) > 0 AND admin_scope @> ARRAY[${param}::uuid]) AS "inAdminScope"`;

/**
 * The person `match` (a condition on `users u`) names, at most one, with what their admin rights are made of;
 * `enabled` is false for a deactivated or removed account.
 */
export const rightsPerson = (match: string) =>
  `SELECT u.id, u.user_name, u.system_role, u.admin_scope, u.active AND ${liveUser("u")} AS enabled FROM users u WHERE ${match} LIMIT 1`;

/** The live person whose userName, else email, is `param` (case-insensitive): a condition on `users u`. */
export const liveLogin = (param: string) =>
  `${liveUser("u")} AND (lower(u.user_name) = lower(${param}) OR roster_lower_values(u.emails) @> ARRAY[lower(${param})])`;
