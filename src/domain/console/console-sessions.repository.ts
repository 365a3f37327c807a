import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Statement } from "../effects";

export interface SessionRow {
  userId: string;
  csrfToken: string;
}

/** SQL over `console_sessions`: admins' browser sessions, found by the hash of their cookie. */
export class ConsoleSessionsRepository {
  /** Drops sessions past their end or idle time (never resumed again), at each sign-in: no loop needed for so few rows. */
  async prune(m: EntityManager, idleMs: number): Promise<void> {
    await sql(
      m,
      `DELETE FROM console_sessions
       WHERE expires_at < now() OR last_seen_at < now() - make_interval(secs => $1::double precision / 1000)`,
      [idleMs],
    );
  }

  insert(idHash: Buffer, userId: string, csrfToken: string, maxMs: number): Statement {
    return {
      text: `INSERT INTO console_sessions (id_hash, user_id, csrf_token, expires_at)
             VALUES ($1, $2::uuid, $3, now() + make_interval(secs => $4::double precision / 1000))
             RETURNING user_id AS "userId", csrf_token AS "csrfToken"`,
      values: [idHash, userId, csrfToken, maxMs],
    };
  }

  /** The live session of `idHash`, its last use moved to now; null once past its end or idle for `idleMs`. */
  async touch(m: EntityManager, idHash: Buffer, idleMs: number): Promise<SessionRow | null> {
    const rows = await sql<SessionRow>(
      m,
      `UPDATE console_sessions SET last_seen_at = now()
       WHERE id_hash = $1 AND expires_at > now()
         AND last_seen_at > now() - make_interval(secs => $2::double precision / 1000)
       RETURNING user_id AS "userId", csrf_token AS "csrfToken"`,
      [idHash, idleMs],
    );
    return rows[0] ?? null;
  }

  delete(idHash: Buffer): Statement {
    return {
      text: `DELETE FROM console_sessions WHERE id_hash = $1 RETURNING user_id AS "userId", csrf_token AS "csrfToken"`,
      values: [idHash],
    };
  }
}
