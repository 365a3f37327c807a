import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import { isUuid } from "../ids";
import { type Keyset, type KeysetPage, keysetPage, keysetSql, readKeysetPage } from "../keyset";
import type { LeaveSnapshot, User, UserAccount } from "./user";
import { SELECT, type UserRow, toUser } from "./user-rows";
import { liveUser } from "./users.fragments";
import { UserStatements } from "./users.statements";

/** The part of an account that rights are judged on (an access/person-access.rules AccessTarget's). */
export type RightsAccount = Pick<UserAccount, "entityId" | "systemRole" | "adminScope">;

export interface SqlWhere {
  sql: string;
  params: unknown[];
}

export interface ListQuery {
  where?: SqlWhere;
  /** SQL expression to sort by (trusted, from the door's attribute map); ties break on created_at, id. */
  orderBy?: string;
  descending?: boolean;
  offset: number;
  limit: number;
}

/** Data access for `users`: SQL only, no rules. Writes come back as Statements for the unit of work (users.statements.ts). */
export class UsersRepository extends UserStatements {
  async findLiveById(m: EntityManager, id: string): Promise<User | null> {
    if (!isUuid(id)) return null;
    const rows = await sql<UserRow>(m, `SELECT ${SELECT} FROM users u WHERE u.id = $1 AND ${liveUser("u")}`, [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  /** The live people holding any of `emails` or `userNames` (lower-cased): one statement for a whole import batch. */
  async liveMatching(m: EntityManager, emails: string[], userNames: string[]): Promise<User[]> {
    const rows = await sql<UserRow>(
      m,
      `SELECT ${SELECT} FROM users u WHERE ${liveUser("u")}
         AND (roster_lower_values(u.emails) && $1::text[] OR lower(u.user_name) = ANY($2::text[]))`,
      [emails, userNames],
    );
    return rows.map(toUser);
  }

  async lockById(m: EntityManager, id: string): Promise<User | null> {
    if (!isUuid(id)) return null;
    const rows = await sql<UserRow>(m, `SELECT ${SELECT} FROM users u WHERE u.id = $1 FOR UPDATE`, [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async lockByUserName(m: EntityManager, userName: string): Promise<User | null> {
    const rows = await sql<UserRow>(
      m,
      `SELECT ${SELECT} FROM users u WHERE lower(u.user_name) = lower($1) FOR UPDATE`,
      [userName],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  /** What a SCIM DELETE took from the removed account named `userName` (null: none, or not removed). */
  async leaveSnapshotOf(m: EntityManager, userName: string): Promise<LeaveSnapshot | null> {
    const rows = await sql<{ snapshot: LeaveSnapshot | null }>(
      m,
      `SELECT leave_snapshot AS snapshot FROM users WHERE lower(user_name) = lower($1) AND removed_at IS NOT NULL`,
      [userName],
    );
    return rows[0]?.snapshot ?? null;
  }

  /** Which of `names` (lower-cased) are taken, by live users or by accounts an IdP removed. */
  async takenUserNames(m: EntityManager, names: string[]): Promise<Set<string>> {
    const rows = await sql<{ name: string }>(
      m,
      `SELECT lower(user_name) AS name FROM users WHERE lower(user_name) = ANY($1::text[])`,
      [names],
    );
    return new Set(rows.map((r) => r.name));
  }

  /**
   * Holds, until the transaction ends, a lock per lower-cased email (taken in sorted order): two writers giving one
   * address to two people are serialised, so the second sees the first.
   */
  async lockEmails(m: EntityManager, emails: string[]): Promise<void> {
    await sql(
      m,
      `SELECT pg_advisory_xact_lock(hashtextextended('roster.email:' || e, 0)) FROM unnest($1::text[]) AS e`,
      [emails],
    );
  }

  /** A live user other than `exceptId` having one of `emails` (lower-cased), with that address. */
  async liveUserWithEmail(
    m: EntityManager,
    emails: string[],
    exceptId: string | null,
  ): Promise<{ id: string; email: string } | null> {
    const rows = await sql<{ id: string; email: string }>(
      m,
      `
      SELECT u.id, (SELECT e FROM unnest(roster_lower_values(u.emails)) AS e WHERE e = ANY($1::text[]) LIMIT 1) AS email
      FROM users u WHERE ${liveUser("u")} AND roster_lower_values(u.emails) && $1::text[] AND u.id IS DISTINCT FROM $2::uuid LIMIT 1`,
      [emails, exceptId],
    );
    return rows[0] ?? null;
  }

  /**
   * Which of `ids` (distinct uuids) are live people within the scope, with their rights, share-locked for the caller's transaction (after
   * the group's lock, like a SCIM PATCH): they can be neither removed nor moved out of the scope before it commits.
   */
  async lockLiveWithin(
    m: EntityManager,
    ids: string[],
    scope: readonly string[] | null,
  ): Promise<Map<string, { id: string; account: RightsAccount }>> {
    const scoped = scope === null ? "" : "AND u.entity_id = ANY($2::uuid[])";
    const rows = await sql<{ id: string } & RightsAccount>(
      m,
      `SELECT u.id, u.entity_id AS "entityId", u.system_role AS "systemRole", u.admin_scope AS "adminScope"
       FROM users u WHERE u.id = ANY($1::uuid[]) AND ${liveUser("u")} ${scoped} ORDER BY u.id FOR SHARE`,
      scope === null ? [ids] : [ids, scope],
    );
    return new Map(rows.map(({ id, ...account }) => [id, { id, account }]));
  }

  /** The id of the live user with this userName (case-insensitive), if any. */
  async liveIdByUserName(m: EntityManager, userName: string): Promise<string | null> {
    const rows = await sql<{ id: string }>(
      m,
      `SELECT id FROM users WHERE lower(user_name) = lower($1) AND ${liveUser()}`,
      [userName],
    );
    return rows[0]?.id ?? null;
  }

  /** Filters, sorts and pages in PostgreSQL; counts only when the page does not already tell the total. */
  async list(m: EntityManager, q: ListQuery): Promise<{ total: number; users: User[] }> {
    const params = [...(q.where?.params ?? [])];
    const where = `${liveUser("u")}${q.where ? ` AND (${q.where.sql})` : ""}`;
    const dir = q.descending ? "DESC" : "ASC";
    const order = `${q.orderBy ? `${q.orderBy} ${dir} NULLS LAST, ` : ""}u.created_at ${dir}, u.id ${dir}`;
    let users: User[] = [];
    if (q.limit > 0) {
      // Deferred join: OFFSET walks ids only (an index-only scan when the order is creation time),
      // and full rows are fetched by primary key for the page alone, so a deep page costs about what the first one does.
      const rows = await sql<UserRow>(
        m,
        `SELECT ${SELECT} FROM users u WHERE u.id = ANY(ARRAY(
           SELECT u.id FROM users u WHERE ${where} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}))
         ORDER BY ${order}`,
        [...params, q.limit, q.offset],
      );
      users = rows.map(toUser);
    }
    if (users.length > 0 && users.length < q.limit) return { total: q.offset + users.length, users };
    const [{ count }] = await sql<{ count: number }>(
      m,
      `SELECT count(*)::int AS count FROM users u WHERE ${where}`,
      params,
    );
    return { total: count, users };
  }

  /**
   * A keyset page (RFC 9865 cursors): `limit` live users after or before a position, the ids walked on an index
   * (users_live_created_at_id_idx without sortBy) from the position on, so a deep page costs what the first one does.
   */
  async page(m: EntityManager, q: ListQuery, keyset: Keyset): Promise<KeysetPage<User>> {
    const params = [...(q.where?.params ?? [])];
    const k = keysetSql(
      { sort: q.orderBy, createdAt: "u.created_at", id: "u.id" },
      q.descending ?? false,
      keyset,
      params.length + 1,
    );
    const where = `${liveUser("u")}${q.where ? ` AND (${q.where.sql})` : ""} AND ${k.where}`;
    const keys = `u.created_at::text AS "keyAt"${q.orderBy ? `, (${q.orderBy})::text AS "keySort"` : ""}`;
    const rows = await readKeysetPage(keyset, () =>
      sql<UserRow & { keyAt: string; keySort?: string | null }>(
        m,
        `SELECT ${SELECT}, ${keys} FROM users u WHERE u.id = ANY(ARRAY(
         SELECT u.id FROM users u WHERE ${where} ORDER BY ${k.order} LIMIT $${params.length + k.params.length + 1}))
       ORDER BY ${k.order}`,
        [...params, ...k.params, q.limit + 1],
      ),
    );
    const page = keysetPage(rows, q.limit, k.reversed, (r) => ({
      sort: q.orderBy ? (r.keySort ?? null) : undefined,
      createdAt: r.keyAt,
      id: r.id,
    }));
    return { ...page, rows: page.rows.map(toUser) };
  }
}
