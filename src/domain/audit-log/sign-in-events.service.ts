import type { DataSource } from "typeorm";
import type { Ctx } from "../context";
import { jsonCursor, encodeJsonCursor, NOT_A_CURSOR } from "../cursor";
import { InvalidError, RefusedError } from "../errors";
import { scopeOf } from "../scope";
import { withDb } from "../unit-of-work";
import { SignInEventsRepository } from "./sign-in-events.repository";

export interface SignInEventsFilter {
  /** Matches the attempt's email or the login typed, case-insensitively. */
  email?: string;
  code?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

export interface SignInEvent {
  time: Date;
  outcome: "succeeded" | "refused";
  code: string | null;
  email: string | null;
  login: string | null;
  method: string | null;
  reference: string | null;
  connectionId: string | null;
  userId: string | null;
}

/**
 * "Why can't she log in?": the sign-in attempts of the audit log (door auth, SIGN_IN_AUDIT actions), newest first,
 * filtered and keyset-paged on the log's seq in SQL. Whole-organisation admins and auditors only: refusals of unknown
 * people belong to no entity.
 */
export class SignInEventsService {
  private readonly repo = new SignInEventsRepository();

  constructor(private readonly ds: DataSource) {}

  async page(ctx: Ctx, f: SignInEventsFilter): Promise<{ items: SignInEvent[]; next: string | null }> {
    if (scopeOf(ctx) !== null)
      throw new RefusedError(
        "out_of_scope",
        "forbidden",
        "Sign-in events cover the whole organisation: only an admin or auditor of the whole organisation may read them",
      );
    let before: string | null = null;
    if (f.cursor !== undefined) {
      const c = jsonCursor(f.cursor);
      if (!Array.isArray(c) || c.length !== 1 || !/^\d{1,18}$/.test(String(c[0])))
        throw new InvalidError("cursor", NOT_A_CURSOR);
      before = String(c[0]);
    }
    const rows = await withDb(() => this.repo.newestFirst(this.ds.manager, f, before));
    const more = rows.length > f.limit;
    const items = rows.slice(0, f.limit);
    return {
      items: items.map(({ seq: _seq, ...e }) => e),
      next: more ? encodeJsonCursor([items[items.length - 1].seq]) : null,
    };
  }
}
