import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import { liveUsersForShare, removedUser, userDisplay, usersJoin } from "../users/users.fragments";
import type { Member } from "./group";

const FIRST_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * Set operations on `group_members`. Every statement touches only the rows the request names (through the
 * (group_id, user_id) primary key and users' primary key), so its cost follows the request, not the group.
 */
export class MembersRepository {
  /**
   * Adds the live users among `userIds` (distinct uuids); existing members stay as they are. Returns the users
   * that exist (known) and which of them were not members before (added). The user rows are share-locked so a
   * concurrent SCIM DELETE of one of them either happens first (and it is skipped) or waits for this insert.
   */
  async add(m: EntityManager, groupId: string, userIds: string[]): Promise<{ known: Member[]; added: string[] }> {
    if (userIds.length === 0) return { known: [], added: [] };
    const rows = await sql<{ id: string; display: string; added: boolean }>(
      m,
      `WITH known AS (${liveUsersForShare("$2")}),
       ins AS (
         INSERT INTO group_members (group_id, user_id) SELECT $1, k.id FROM known k ON CONFLICT DO NOTHING RETURNING user_id)
       SELECT k.id, k.display, (i.user_id IS NOT NULL) AS added FROM known k LEFT JOIN ins i ON i.user_id = k.id`,
      [groupId, userIds],
    );
    return {
      known: rows.map(({ id, display }) => ({ id, display })),
      added: rows.filter((r) => r.added).map((r) => r.id),
    };
  }

  /** Removes the listed users (distinct uuids) from the group; returns those that were members. */
  async remove(m: EntityManager, groupId: string, userIds: string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await sql<{ id: string }>(
      m,
      `DELETE FROM group_members WHERE group_id = $1 AND user_id = ANY($2::uuid[]) RETURNING user_id AS id`,
      [groupId, userIds],
    );
    return rows.map((r) => r.id);
  }

  /** Full push: removes every member not listed; returns the removed ids (the members the push touched). */
  async removeAllBut(m: EntityManager, groupId: string, keep: string[]): Promise<string[]> {
    const rows = await sql<{ id: string }>(
      m,
      `DELETE FROM group_members WHERE group_id = $1 AND user_id <> ALL($2::uuid[]) RETURNING user_id AS id`,
      [groupId, keep],
    );
    return rows.map((r) => r.id);
  }

  /** Empties the group; returns how many members it had (not their ids: a group may hold 100,000). */
  async removeAll(m: EntityManager, groupId: string): Promise<number> {
    const [{ count }] = await sql<{ count: number }>(
      m,
      `WITH d AS (DELETE FROM group_members WHERE group_id = $1 RETURNING 1) SELECT count(*)::int AS count FROM d`,
      [groupId],
    );
    return count;
  }

  async count(m: EntityManager, groupId: string): Promise<number> {
    const [{ count }] = await sql<{ count: number }>(
      m,
      `SELECT count(*)::int AS count FROM group_members WHERE group_id = $1`,
      [groupId],
    );
    return count;
  }

  /** Which of `ids` are groups (members must be users). */
  async groupIds(m: EntityManager, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await sql<{ id: string }>(m, `SELECT id FROM groups WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map((r) => r.id);
  }

  /**
   * One page of members in user-id order after `after` (keyset over the primary key: every page costs the same).
   * `last` is where the next page starts; a removed user's row (only left by a race with its removal) is not listed.
   */
  async page(
    m: EntityManager,
    groupId: string,
    after: string | null,
    limit: number,
  ): Promise<{ members: Member[]; last: string | null }> {
    const rows = await sql<Member & { gone: boolean }>(
      m,
      `SELECT gm.user_id AS id, ${userDisplay("u")} AS display, ${removedUser("u")} AS gone
       FROM group_members gm ${usersJoin("u", "u.id = gm.user_id")}
       WHERE gm.group_id = $1 AND gm.user_id > $2::uuid ORDER BY gm.user_id LIMIT $3`,
      [groupId, after ?? FIRST_UUID, limit],
    );
    const members = rows.filter((r) => !r.gone).map(({ id, display }) => ({ id, display }));
    return { members, last: rows.length === limit ? rows[rows.length - 1].id : null };
  }

  /** Locks, in id order (so two removals never deadlock), and touches the groups a user belongs to; returns their ids. */
  async touchGroupsOf(m: EntityManager, userId: string): Promise<string[]> {
    const rows = await sql<{ id: string }>(
      m,
      `WITH l AS (SELECT g.id FROM groups g WHERE g.id IN (SELECT group_id FROM group_members WHERE user_id = $1) ORDER BY g.id FOR NO KEY UPDATE)
       UPDATE groups g SET version = g.version + 1, updated_at = clock_timestamp() FROM l WHERE g.id = l.id RETURNING g.id`,
      [userId],
    );
    return rows.map((r) => r.id);
  }

  /** Removes a user from every group; returns those groups' ids. */
  async removeUser(m: EntityManager, userId: string): Promise<string[]> {
    const rows = await sql<{ id: string }>(m, `DELETE FROM group_members WHERE user_id = $1 RETURNING group_id AS id`, [
      userId,
    ]);
    return rows.map((r) => r.id);
  }
}
