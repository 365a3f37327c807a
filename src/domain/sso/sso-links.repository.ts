import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import type { Statement } from "../effects";

export interface SsoLink {
  issuer: string;
  subject: string;
  userId: string;
  connectionId: string | null;
  linkedBy: "claim" | "email" | "jit";
}

export interface LoginState {
  state: string;
  connectionId: string;
  interactionUid: string;
  nonce: string;
  codeVerifier: string;
}

/**
 * Data access for `sso_links` (a person's identity at a company IdP: (issuer, subject), nothing else, once linked) and
 * `sso_login_states` (a sign-in under way). SQL only; writes that are audited come back as Statements.
 */
export class SsoLinksRepository {
  async find(m: EntityManager, issuer: string, subject: string): Promise<SsoLink | null> {
    const rows = await sql<SsoLink>(
      m,
      `SELECT issuer, subject, user_id AS "userId", connection_id AS "connectionId", linked_by AS "linkedBy"
       FROM sso_links WHERE issuer = $1 AND subject = $2`,
      [issuer, subject],
    );
    return rows[0] ?? null;
  }

  /** The subject already linked to this person at this issuer, if any (one link per person and issuer). */
  async subjectOf(m: EntityManager, issuer: string, userId: string): Promise<string | null> {
    const rows = await sql<{ subject: string }>(m, `SELECT subject FROM sso_links WHERE issuer = $1 AND user_id = $2`, [
      issuer,
      userId,
    ]);
    return rows[0]?.subject ?? null;
  }

  /** The link; a concurrent sign-in of the same subject that linked first wins (nothing returned here). */
  insert(l: SsoLink): Statement {
    return {
      text: `INSERT INTO sso_links (issuer, subject, user_id, connection_id, linked_by) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (issuer, subject) DO NOTHING RETURNING user_id AS "userId"`,
      values: [l.issuer, l.subject, l.userId, l.connectionId, l.linkedBy],
    };
  }

  async touch(m: EntityManager, issuer: string, subject: string): Promise<void> {
    await sql(m, `UPDATE sso_links SET last_used_at = now() WHERE issuer = $1 AND subject = $2`, [issuer, subject]);
  }

  async saveState(m: EntityManager, s: LoginState, ttlSeconds: number): Promise<void> {
    // Expired states go with each new one: the table holds only sign-ins under way.
    await sql(m, `DELETE FROM sso_login_states WHERE expires_at < now() - interval '1 hour'`);
    await sql(
      m,
      `INSERT INTO sso_login_states (state, connection_id, interaction_uid, nonce, code_verifier, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
      [s.state, s.connectionId, s.interactionUid, s.nonce, s.codeVerifier, ttlSeconds],
    );
  }

  /** Takes a state once (a replayed callback finds nothing); null when unknown, expired or of another connection. */
  async takeState(m: EntityManager, state: string, connectionId: string): Promise<LoginState | null> {
    const rows = await sql<LoginState & { live: boolean }>(
      m,
      `DELETE FROM sso_login_states WHERE state = $1 AND connection_id = $2
       RETURNING state, connection_id AS "connectionId", interaction_uid AS "interactionUid", nonce,
                 code_verifier AS "codeVerifier", expires_at > now() AS live`,
      [state, connectionId],
    );
    const r = rows[0];
    return r?.live
      ? {
          state: r.state,
          connectionId: r.connectionId,
          interactionUid: r.interactionUid,
          nonce: r.nonce,
          codeVerifier: r.codeVerifier,
        }
      : null;
  }
}
