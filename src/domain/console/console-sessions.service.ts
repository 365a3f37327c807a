import { createHash, randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Ctx } from "../context";
import { unitOfWork, withDb, writeAlone, writeIn } from "../unit-of-work";
import { ConsoleSessionsRepository, type SessionRow } from "./console-sessions.repository";

export interface SessionLimits {
  /** A session unused this long is over (CONSOLE_SESSION_IDLE_MINUTES). */
  idleMs: number;
  /** A session ends this long after sign-in whatever its use (CONSOLE_SESSION_MAX_HOURS). */
  maxMs: number;
}

export interface StartedSession {
  /** The cookie's value: shown to the browser once, kept only as a hash. */
  token: string;
  csrfToken: string;
}

const hashOf = (token: string): Buffer => createHash("sha256").update(token, "utf8").digest();
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The admin console's browser sessions (decision 0136). The person's rights are not kept here: the console reads them
 * at each request (access), so a role change or a deactivation bites at once; a session only says who signed in.
 */
export class ConsoleSessionsService {
  private readonly repo = new ConsoleSessionsRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly limits: SessionLimits,
  ) {}

  /** A session for `userId`, who has just signed in through Roster's provider (`ctx.actor` is that person). */
  async start(ctx: Ctx, userId: string): Promise<StartedSession> {
    const token = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(32).toString("base64url");
    await unitOfWork(this.ds, ctx, async (tx) => {
      await this.repo.prune(tx.manager, this.limits.idleMs);
      await writeIn(tx, this.repo.insert(hashOf(token), userId, csrfToken, this.limits.maxMs), {
        audits: [{ action: "console.session_started", subject: { type: "user", id: userId }, changes: {} }],
        events: [],
      });
    });
    return { token, csrfToken };
  }

  /** The session a cookie names, still live (its idle time restarts); null for anything else. */
  async resume(token: string): Promise<SessionRow | null> {
    if (!TOKEN.test(token)) return null;
    return withDb(() => this.repo.touch(this.ds.manager, hashOf(token), this.limits.idleMs));
  }

  /** Signing out: the session is gone at once. */
  async end(ctx: Ctx, token: string): Promise<void> {
    if (!TOKEN.test(token)) return;
    await writeAlone(this.ds, ctx, this.repo.delete(hashOf(token)), {
      audits: [{ action: "console.session_ended", subject: { type: "user", id: ctx.actor.id }, changes: {} }],
      events: [],
    });
  }
}
