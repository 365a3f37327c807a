import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Statement } from "../effects";
import type { ListQuery } from "../users/users.repository";
import { isUuid } from "../ids";
import { type Keyset, type KeysetPage, keysetPage, keysetSql, readKeysetPage } from "../keyset";
import type { Group, GroupFields } from "./group";

const COLUMNS = `g.id AS "id", g.display_name AS "displayName", g.external_id AS "externalId",
  g.created_at AS "createdAt", g.updated_at AS "updatedAt", g.version AS "version"`;

/** Data access for `groups`: SQL only, no rules. Members live in group_members (members.repository.ts). */
export class GroupsRepository {
  async findById(m: EntityManager, id: string): Promise<Group | null> {
    if (!isUuid(id)) return null;
    const rows = await sql<Group>(m, `SELECT ${COLUMNS} FROM groups g WHERE g.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Locks the group row for the rest of the transaction: its writes (and their audit order) are serialised. */
  async lockById(m: EntityManager, id: string): Promise<Group | null> {
    if (!isUuid(id)) return null;
    const rows = await sql<Group>(m, `SELECT ${COLUMNS} FROM groups g WHERE g.id = $1 FOR NO KEY UPDATE`, [id]);
    return rows[0] ?? null;
  }

  /** Locks several group rows in id order (so concurrent writers of several groups queue instead of deadlocking). */
  async lockByIds(m: EntityManager, ids: string[]): Promise<Group[]> {
    const uuids = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
    if (uuids.length === 0) return [];
    return sql<Group>(
      m,
      `SELECT ${COLUMNS} FROM groups g WHERE g.id = ANY($1::uuid[]) ORDER BY g.id FOR NO KEY UPDATE`,
      [uuids],
    );
  }

  /** A unique violation on lower(display_name) surfaces as ConflictError("displayName"). */
  insert(id: string, f: GroupFields): Statement {
    return {
      text: `INSERT INTO groups AS g (id, display_name, external_id) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
      values: [id, f.displayName, f.externalId],
    };
  }

  /** Writes the fields and moves version and lastModified on (also for a change of members only). */
  update(id: string, f: GroupFields): Statement {
    return {
      text: `UPDATE groups AS g SET display_name = $2, external_id = $3, version = g.version + 1, updated_at = clock_timestamp()
             WHERE g.id = $1 RETURNING ${COLUMNS}`,
      values: [id, f.displayName, f.externalId],
    };
  }

  /** Hard delete; group_members rows go with it (ON DELETE CASCADE). */
  delete(id: string): Statement {
    return { text: `DELETE FROM groups AS g WHERE g.id = $1 RETURNING ${COLUMNS}`, values: [id] };
  }

  /** Filters, sorts and pages in PostgreSQL; counts only when the page does not already tell the total. */
  async list(m: EntityManager, q: ListQuery): Promise<{ total: number; groups: Group[] }> {
    const params = [...(q.where?.params ?? [])];
    const where = q.where ? `(${q.where.sql})` : "TRUE";
    const dir = q.descending ? "DESC" : "ASC";
    const order = `${q.orderBy ? `${q.orderBy} ${dir} NULLS LAST, ` : ""}g.created_at ${dir}, g.id ${dir}`;
    let groups: Group[] = [];
    if (q.limit > 0) {
      groups = await sql<Group>(
        m,
        `SELECT ${COLUMNS} FROM groups g WHERE ${where} ORDER BY ${order}
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, q.limit, q.offset],
      );
    }
    if (groups.length > 0 && groups.length < q.limit) return { total: q.offset + groups.length, groups };
    const [{ count }] = await sql<{ count: number }>(
      m,
      `SELECT count(*)::int AS count FROM groups g WHERE ${where}`,
      params,
    );
    return { total: count, groups };
  }

  /** A keyset page (RFC 9865 cursors): `limit` groups after or before a position, on groups_created_at_id_idx without sortBy. */
  async page(m: EntityManager, q: ListQuery, keyset: Keyset): Promise<KeysetPage<Group>> {
    const params = [...(q.where?.params ?? [])];
    const k = keysetSql(
      { sort: q.orderBy, createdAt: "g.created_at", id: "g.id" },
      q.descending ?? false,
      keyset,
      params.length + 1,
    );
    const keys = `g.created_at::text AS "keyAt"${q.orderBy ? `, (${q.orderBy})::text AS "keySort"` : ""}`;
    const rows = await readKeysetPage(keyset, () =>
      sql<Group & { keyAt: string; keySort?: string | null }>(
        m,
        `SELECT ${COLUMNS}, ${keys} FROM groups g WHERE ${q.where ? `(${q.where.sql})` : "TRUE"} AND ${k.where}
       ORDER BY ${k.order} LIMIT $${params.length + k.params.length + 1}`,
        [...params, ...k.params, q.limit + 1],
      ),
    );
    const page = keysetPage(rows, q.limit, k.reversed, (r) => ({
      sort: q.orderBy ? (r.keySort ?? null) : undefined,
      createdAt: r.keyAt,
      id: r.id,
    }));
    return { ...page, rows: page.rows.map(({ keyAt: _at, keySort: _sort, ...group }) => group) };
  }
}
