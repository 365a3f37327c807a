/**
 * SQL fragments over `entities` (the organisation tree) that other modules' statements interpolate; the table is named
 * only in this folder. Fixed arguments give fixed text, so the statements stay prepared (src/db/sql.ts).
 */

/**
 * The body of a recursive CTE named `cte`: the entities `seedWhere` selects (as `e`, with `seedFrom` joined when
 * given) and every entity below them.
 */
export const entitySubtreeSql = (cte: string, seedWhere: string, seedFrom?: string) =>
  `SELECT e.id FROM entities e${seedFrom ? `, ${seedFrom}` : ""} WHERE ${seedWhere}
        UNION SELECT e.id FROM entities e JOIN ${cte} ON e.parent_id = ${cte}.id`;

/** `JOIN entities <alias> ON <on>` (prefix LEFT for people without an entity). */
export const entitiesJoin = (alias: string, on: string) => `JOIN entities ${alias} ON ${on}`;
