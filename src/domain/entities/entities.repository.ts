import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Statement } from "../effects";
import { entityUsage } from "../users/users.fragments";
import { isUuid } from "../ids";
import type { Entity, EntityRef } from "./entity";
import { entitySubtreeSql } from "./entities.fragments";

const COLUMNS = `id, name, parent_id AS "parentId", external_key AS "externalKey", created_at AS "createdAt", updated_at AS "updatedAt", version`;

/** Data access for `entities` (the organisation tree): SQL only, no rules. */
export class EntitiesRepository {
  /** Every entity, or those of `scope`, ordered by name. */
  list(m: EntityManager, scope: readonly string[] | null): Promise<Entity[]> {
    return sql<Entity>(
      m,
      `SELECT ${COLUMNS} FROM entities WHERE $1::uuid[] IS NULL OR id = ANY($1::uuid[]) ORDER BY lower(name), id`,
      [scope],
    );
  }

  async findById(m: EntityManager, id: string, lock = false): Promise<Entity | null> {
    if (!isUuid(id)) return null;
    const rows = await sql<Entity>(m, `SELECT ${COLUMNS} FROM entities WHERE id = $1${lock ? " FOR UPDATE" : ""}`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  /** Ancestors of `id`, root first. */
  async path(m: EntityManager, id: string): Promise<EntityRef[]> {
    const rows = await sql<EntityRef & { depth: number }>(
      m,
      `
      WITH RECURSIVE a AS (
        SELECT p.id, p.name, p.parent_id, 1 AS depth FROM entities e JOIN entities p ON p.id = e.parent_id WHERE e.id = $1
        UNION SELECT p.id, p.name, p.parent_id, a.depth + 1 FROM entities p JOIN a ON p.id = a.parent_id)
      SELECT id, name, depth FROM a ORDER BY depth DESC`,
      [id],
    );
    return rows.map(({ id: i, name }) => ({ id: i, name }));
  }

  /** Whether `candidate` is `ancestor` itself or lies below it (walks up from the candidate: trees are shallow). */
  async isWithin(m: EntityManager, candidate: string, ancestor: string): Promise<boolean> {
    const [row] = await sql<{ within: boolean }>(
      m,
      `
      WITH RECURSIVE up AS (SELECT id, parent_id FROM entities WHERE id = $1
        UNION SELECT e.id, e.parent_id FROM entities e JOIN up ON e.id = up.parent_id)
      SELECT EXISTS (SELECT 1 FROM up WHERE id = $2) AS within`,
      [candidate, ancestor],
    );
    return row.within;
  }

  /** What hangs on an entity: sub-entities, people (live, and all rows including accounts an IdP removed), admin scopes. */
  async usage(
    m: EntityManager,
    id: string,
  ): Promise<{ children: number; liveUsers: number; anyUsers: boolean; inAdminScope: boolean }> {
    const [row] = await sql<{ children: number; liveUsers: number; anyUsers: boolean; inAdminScope: boolean }>(
      m,
      `
      SELECT (SELECT count(*)::int FROM entities WHERE parent_id = $1) AS children,
             ${entityUsage("$1")}`,
      [id],
    );
    return row;
  }

  /** `roots` and every entity below them (ids, in no order). */
  async subtreeIds(m: EntityManager, roots: string[]): Promise<string[]> {
    const [row] = await sql<{ ids: string[] }>(
      m,
      `WITH RECURSIVE s AS (${entitySubtreeSql("s", "e.id = ANY($1::uuid[])")}) SELECT coalesce(array_agg(id), '{}') AS ids FROM s`,
      [roots],
    );
    return row.ids;
  }

  /** Names of the given entities (those that exist). */
  async refs(m: EntityManager, ids: string[]): Promise<EntityRef[]> {
    if (ids.length === 0) return [];
    return sql<EntityRef>(m, `SELECT id, name FROM entities WHERE id = ANY($1::uuid[]) ORDER BY lower(name), id`, [
      ids,
    ]);
  }

  /**
   * The one entity a value sent by an identity provider names: by external key, else by name (both case-insensitive).
   * null when nothing or more than one entity matches (sibling names repeat across the tree).
   */
  async idForValue(m: EntityManager, value: string): Promise<string | null> {
    const rows = await sql<{ id: string }>(
      m,
      `
      SELECT id FROM entities WHERE lower(external_key) = lower($1)
      UNION ALL
      SELECT id FROM entities WHERE lower(name) = lower($1) AND NOT EXISTS (SELECT 1 FROM entities WHERE lower(external_key) = lower($1))
      LIMIT 2`,
      [value],
    );
    return rows.length === 1 ? rows[0].id : null;
  }

  insert(id: string, name: string, parentId: string | null, key: string | null): Statement {
    return {
      text: `INSERT INTO entities (id, name, parent_id, external_key) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      values: [id, name, parentId, key],
    };
  }

  update(id: string, version: number, name: string, parentId: string | null, key: string | null): Statement {
    return {
      text: `UPDATE entities SET name = $3, parent_id = $4, external_key = $5, updated_at = clock_timestamp(), version = version + 1
             WHERE id = $1 AND version = $2 RETURNING ${COLUMNS}`,
      values: [id, version, name, parentId, key],
    };
  }

  delete(id: string, version: number): Statement {
    return { text: `DELETE FROM entities WHERE id = $1 AND version = $2 RETURNING ${COLUMNS}`, values: [id, version] };
  }

  /** Serialises moves: two concurrent moves must not close a loop that neither saw alone. */
  async lockTree(m: EntityManager): Promise<void> {
    await sql(m, `SELECT pg_advisory_xact_lock(hashtextextended('roster.entities.tree', 0))`);
  }
}
