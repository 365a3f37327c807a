import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Statistics of `search_text` over 1,000 values rather than 100 (decision 0139). The admin search asks PostgreSQL how
 * many users a text term matches to choose between walking the sort order and reading every match; PostgreSQL
 * estimates a `LIKE '%term%'` by the share of its histogram's values that match. With 100 values a family name borne
 * by 1% of a million users matched none of them for most names and was estimated at 100 users (the floor of 0.01%),
 * so the search read all 10,000 matches: 1.9 s under load. With 1,000 a 1% term matches about ten (estimates of the
 * bench's names: 7,000 to 11,000 for 10,000). ANALYZE of users reads 300,000 rows instead of 30,000, and planning a
 * text query tests the term against 1,000 values (about a millisecond).
 */
export class SearchTextStatistics1764000000171 implements MigrationInterface {
  name = "SearchTextStatistics1764000000171";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ALTER COLUMN search_text SET STATISTICS 1000`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ALTER COLUMN search_text SET STATISTICS -1`);
  }
}
