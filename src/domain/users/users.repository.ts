import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import { isUuid } from "../ids";
import { type Keyset, type KeysetPage, keysetPage, keysetSql, readKeysetPage } from "../keyset";
import type { LeaveSnapshot, User, UserAccount } from "./user";
import { listTexts } from "./user-list.texts";
import { seekPosition, tallied, tallyFor } from "./user-list.tallies";
import { SELECT, type UserRow, toUser } from "./user-rows";
import { liveUser } from "./users.fragments";
import { UserStatements } from "./users.statements";

/** The part of an account that rights are judged on (an access/person-access.rules AccessTarget's). */
export type RightsAccount = Pick<UserAccount, "entityId" | "systemRole" | "adminScope">;

/** Below this offset a page walks the rows before it (cheaper than placing it from the tallies). */
const SEEK_FROM_OFFSET = 2000;

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

/** The hot lookup's text, built once: a constant string is hashed once, not per call (src/db/sql.ts names it by text). */
const BY_ID = `SELECT ${SELECT} FROM users u WHERE u.id = $1 AND ${liveUser("u")}`;

/** An import batch's people by address (one GIN probe each, planned as such whatever the batch's size) or userName. */
const LIVE_MATCHING = `SELECT ${SELECT} FROM unnest($1::text[]) AS e(v)
  CROSS JOIN LATERAL (SELECT * FROM users u WHERE roster_lower_values(u.emails) && ARRAY[e.v] AND ${liveUser("u")}) u
  UNION ALL SELECT ${SELECT} FROM users u WHERE lower(u.user_name) = ANY($2::text[]) AND ${liveUser("u")}`;

/** Data access for `users`: SQL only, no rules. Writes come back as Statements for the unit of work (users.statements.ts). */
export class UsersRepository extends UserStatements {
  async findLiveById(m: EntityManager, id: string): Promise<User | null> {
    if (!isUuid(id)) return null;
    const rows = await sql<UserRow>(m, BY_ID, [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  /**
   * The live people holding any of `emails` or `userNames` (lower-cased): one statement for a whole import batch.
   * Each address is its own index probe (EMAIL_PROBES): `emails && $1` with a batch's 500 addresses is estimated to
   * match most of the table, and its custom plans read every row (2 s at 100,000 people, past the statement timeout at
   * 1,000,000). Duplicates (a person named twice) are dropped here.
   */
  async liveMatching(m: EntityManager, emails: string[], userNames: string[]): Promise<User[]> {
    const rows = await sql<UserRow>(m, LIVE_MATCHING, [emails, userNames]);
    const seen = new Set<string>();
    return rows.filter((r) => !seen.has(r.id) && seen.add(r.id)).map(toUser);
  }

  /** Which of `emails` (lower-cased) a live user holds, read in one statement (one index probe per address). */
  async heldEmails(m: EntityManager, emails: string[]): Promise<Set<string>> {
    const rows = await sql<{ e: string }>(
      m,
      `SELECT e.v AS e FROM unnest($1::text[]) AS e(v)
       WHERE EXISTS (SELECT 1 FROM users u WHERE ${liveUser("u")} AND roster_lower_values(u.emails) && ARRAY[e.v])`,
      [emails],
    );
    return new Set(rows.map((r) => r.e));
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
      `SELECT n AS name FROM unnest($1::text[]) AS n WHERE EXISTS (SELECT 1 FROM users WHERE lower(user_name) = n)`,
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

  /**
   * Up to two live users whose SCIM externalId is `externalId` (case-sensitive, as the IdP sent it): company SSO links a
   * person through a claim such as Entra's `oid`; two answers mean the claim names nobody for sure.
   */
  async liveByExternalId(m: EntityManager, externalId: string): Promise<User[]> {
    const rows = await sql<UserRow>(
      m,
      `SELECT ${SELECT} FROM users u WHERE u.external_id = $1 AND ${liveUser("u")} ORDER BY u.created_at LIMIT 2`,
      [externalId],
    );
    return rows.map(toUser);
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

  /**
   * Filters, sorts and pages in PostgreSQL. The total comes from the maintained tallies when the filter is one they keep
   * (none, or `active`), else it is counted, and only when the page does not already tell it. A deep page of the
   * default order starts from the minute the tallies place it in, instead of walking every row before it.
   */
  async list(m: EntityManager, q: ListQuery): Promise<{ total: number; users: User[] }> {
    const tally = tallyFor(q.where);
    // `active eq true|false` as a constant, so that a prepared statement's generic plan can still use the partial index
    // of inactive users (a parameter would hide which half is asked for).
    const filter = tally?.level === 1 ? { sql: tally.bucket ? "u.active" : "NOT u.active", params: [] } : q.where;
    const params = filter?.params ?? [];
    const seek = !q.where && !q.orderBy && !q.descending && q.offset >= SEEK_FROM_OFFSET && q.limit > 0;
    // No filter or `active`, in the default order: the creation order's index is walked for any page (decision 0154).
    const texts = listTexts(q, filter, seek, tally !== null && !q.orderBy);
    let users: User[] = [];
    if (q.limit > 0) {
      const from = seek ? await seekPosition(m, q.offset) : null;
      if (seek && !from) return { total: await tallied(m, { level: 0, bucket: 0 }), users };
      const values = from ? [...params, q.limit, from.skip, from.minuteStart] : [...params, q.limit, q.offset];
      users = (await sql<UserRow>(m, texts.page, values)).map(toUser);
    }
    if (users.length > 0 && users.length < q.limit) return { total: q.offset + users.length, users };
    if (tally) return { total: await tallied(m, tally), users };
    const [{ count }] = await sql<{ count: number }>(m, texts.count, params);
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
