import { liveUser, userDisplay, usersJoin } from "../users/users.fragments";

/**
 * SQL fragments over `groups` and `group_members` that other modules' statements interpolate (a user's groups, the
 * SCIM filters over members); the tables are named only in this folder. Fixed arguments give fixed text.
 */

/** A user's direct groups as a jsonb array of {id, display}, through group_members' user_id index. */
export const userGroupsJson = (
  userIdExpr: string,
) => `(SELECT COALESCE(jsonb_agg(jsonb_build_object('id', g.id, 'display', g.display_name) ORDER BY g.display_name, g.id), '[]'::jsonb)
  FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.user_id = ${userIdExpr})`;

/** The ids of a user's direct groups as a jsonb array, in id order (what a SCIM DELETE keeps to give back). */
export const userGroupIdsJson = (userIdExpr: string) =>
  `(SELECT COALESCE(jsonb_agg(gm.group_id ORDER BY gm.group_id), '[]'::jsonb) FROM group_members gm WHERE gm.user_id = ${userIdExpr})`;

/** The display name of the group `idTextExpr` (a uuid as text, as audit targets are), null when it no longer exists. */
export const groupDisplayName = (idTextExpr: string) =>
  `(SELECT g.display_name FROM groups g WHERE g.id = ${idTextExpr}::uuid)`;

/** Whether the user `userIdExpr` is a direct member of one of the groups of `param` (uuid[]). */
export const memberOfAnyGroup = (userIdExpr: string, param: string) =>
  `EXISTS (SELECT 1 FROM group_members gm WHERE gm.user_id = ${userIdExpr} AND gm.group_id = ANY(${param}::uuid[]))`;

/** A relation for an EXISTS in a filter: its FROM (with `a` the alias), its join condition, and the columns it offers. */
export interface RelationSql {
  from: string;
  where: string;
  id: string;
  display: string;
}

/** The groups user `userIdExpr` belongs to: `a` is group_members, `<a>g` the group. */
export const groupsOfUserRelation = (a: string, userIdExpr: string): RelationSql => ({
  from: `group_members ${a} JOIN groups ${a}g ON ${a}g.id = ${a}.group_id`,
  where: `${a}.user_id = ${userIdExpr}`,
  id: `${a}.group_id`,
  display: `${a}g.display_name`,
});

/** The live members of group `groupIdExpr`: `a` is group_members, `<a>u` the user. */
export const membersOfGroupRelation = (a: string, groupIdExpr: string): RelationSql => ({
  from: `group_members ${a} ${usersJoin(`${a}u`, `${a}u.id = ${a}.user_id`)}`,
  where: `${a}.group_id = ${groupIdExpr} AND ${liveUser(`${a}u`)}`,
  id: `${a}.user_id`,
  display: userDisplay(`${a}u`),
});
