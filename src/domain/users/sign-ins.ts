import { SIGN_IN_AUDIT, type SignInAuditData } from "../sign-in-audit";
import type { DataSource } from "typeorm";
import type { Ctx, TxCtx } from "../context";
import { recordIn, unitOfWork, writeIn } from "../unit-of-work";
import { liveUser } from "./users.fragments";

/** One sign-in attempt, as its door saw it: who (when known) and how it ended. */
export type SignInAttempt = SignInAuditData & {
  userId: string | null;
  outcome: "succeeded" | "refused";
};

/**
 * Records a sign-in attempt inside the caller's transaction: its audit record (door `auth`, action
 * SIGN_IN_AUDIT.succeeded or .refused, the attempt as `changes`, which the sign-in events search reads), and on success
 * the person's `last_login_at`, and `enrolled_at` at their first (the admin search's `connected` and `enrolled`
 * facets read exactly these two columns). Answers whether the person may come in: true only for a success recorded
 * for a live, active person; a success for anyone else writes nothing and answers false, and the caller refuses
 * (user_deactivated) instead of letting them in.
 *
 * The one place a success is recorded is the provider's CompleteSignIn (src/http/auth/complete-sign-in.ts).
 */
export async function recordSignInIn(tx: TxCtx, attempt: SignInAttempt): Promise<boolean> {
  const { userId, outcome, ...data } = attempt;
  const ctx: TxCtx = {
    ...tx,
    door: "auth",
    actor: { type: userId ? "user" : "system", id: userId, name: data.login ?? data.email },
  };
  const audit = {
    action: SIGN_IN_AUDIT[outcome],
    subject: { type: "user" as const, id: userId },
    changes: { ...data, outcome } as Record<string, unknown>,
  };
  if (outcome === "refused" || !userId) {
    await recordIn(ctx, { audits: [audit], events: [] });
    return false;
  }
  const row = await writeIn<{ id: string; firstSignIn: boolean }>(
    ctx,
    {
      text: `UPDATE users u SET last_login_at = now(), enrolled_at = COALESCE(u.enrolled_at, now())
             FROM (SELECT id, enrolled_at IS NULL AS first FROM users WHERE id = $1 FOR UPDATE) before
             WHERE u.id = before.id AND ${liveUser("u")} AND u.active
             RETURNING u.id, before.first AS "firstSignIn"`,
      values: [userId],
    },
    { audits: [audit], events: [] },
  );
  if (!row) return false;
  if (row.firstSignIn)
    await recordIn(ctx, {
      audits: [],
      events: [{ topic: "user.enrolled", payload: { userId, via: `sign_in.${data.method}` } }],
    });
  return true;
}

/** recordSignInIn in a unit of work of its own, for a door that records an attempt and changes nothing else. */
export class SignInRecorder {
  constructor(private readonly ds: DataSource) {}

  record(ctx: Ctx, attempt: SignInAttempt): Promise<boolean> {
    return unitOfWork(this.ds, ctx, (tx) => recordSignInIn(tx, attempt));
  }
}
