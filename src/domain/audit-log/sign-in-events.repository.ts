import type { EntityManager } from "typeorm";
import { sql } from "../../db/sql";
import { SIGN_IN_AUDIT } from "../sign-in-audit";
import type { SignInEvent, SignInEventsFilter } from "./sign-in-events.service";

const ACTIONS = `'${SIGN_IN_AUDIT.succeeded}', '${SIGN_IN_AUDIT.refused}'`;

/**
 * The sign-in attempts in `audit_events`, newest first, keyset-paged on id (before `beforeSeq`): on id, not the
 * chain's seq, which the seal loop stamps later, so an attempt is found the moment it is written. The actions are
 * literals so that the partial index on them (migration 1764000000091) matches.
 */
export class SignInEventsRepository {
  newestFirst(
    m: EntityManager,
    f: SignInEventsFilter,
    beforeSeq: string | null,
  ): Promise<(SignInEvent & { seq: string })[]> {
    return sql<SignInEvent & { seq: string }>(
      m,
      `SELECT a.id AS seq, a.at AS time, a.changes->>'outcome' AS outcome, a.changes->>'code' AS code,
              a.changes->>'email' AS email, a.changes->>'login' AS login, a.changes->>'method' AS method,
              a.changes->>'reference' AS reference, a.changes->>'connectionId' AS "connectionId", a.target_id AS "userId"
       FROM audit_events a
       WHERE a.action IN (${ACTIONS}) AND a.door = 'auth'
         AND ($1::text IS NULL OR lower(a.changes->>'email') = lower($1) OR lower(a.changes->>'login') = lower($1))
         AND ($2::text IS NULL OR a.changes->>'code' = $2)
         AND ($3::timestamptz IS NULL OR a.at >= $3) AND ($4::timestamptz IS NULL OR a.at < $4)
         AND ($5::bigint IS NULL OR a.id < $5)
       ORDER BY a.id DESC LIMIT $6`,
      [f.email ?? null, f.code ?? null, f.from ?? null, f.to ?? null, beforeSeq, f.limit + 1],
    );
  }
}
