import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Statement } from "../effects";

export interface SettingRow {
  value: unknown;
  /** 0 while the row was never written (the defaults apply). */
  version: number;
  updatedAt: Date | null;
}

/** SQL over `settings`: one row per key, a jsonb value and a version moving on at each write. */
export class SettingsRepository {
  async find(m: EntityManager, key: string): Promise<SettingRow | null> {
    const rows = await sql<SettingRow>(
      m,
      `SELECT value, version, updated_at AS "updatedAt" FROM settings WHERE key = $1`,
      [key],
    );
    return rows[0] ?? null;
  }

  /** Locks the key's row, creating it first (version 0) when it was never written, so concurrent writers queue on it. */
  async lock(m: EntityManager, key: string, initial: unknown): Promise<SettingRow> {
    await sql(m, `INSERT INTO settings (key, value, version) VALUES ($1, $2::jsonb, 0) ON CONFLICT (key) DO NOTHING`, [
      key,
      JSON.stringify(initial),
    ]);
    const rows = await sql<SettingRow>(
      m,
      `SELECT value, version, updated_at AS "updatedAt" FROM settings WHERE key = $1 FOR UPDATE`,
      [key],
    );
    return rows[0];
  }

  /** The new value, if the row is still at `version`. */
  update(key: string, version: number, value: unknown): Statement {
    return {
      text: `UPDATE settings SET value = $3::jsonb, version = version + 1, updated_at = now() WHERE key = $1 AND version = $2
        RETURNING value, version, updated_at AS "updatedAt"`,
      values: [key, version, JSON.stringify(value)],
    };
  }
}
