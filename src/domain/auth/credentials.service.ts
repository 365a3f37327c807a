import { createHash, randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { assertMay } from "../users/person-access.rules";
import type { Clock } from "../clock";
import type { Ctx, TxCtx } from "../context";
import { NotFoundError, RefusedError } from "../errors";
import type { InvitationsRepository } from "../invitations/invitations.repository";
import { hashPassword, verifyPassword } from "../passwords";
import { unitOfWork, withDb, writeAlone, writeIn } from "../unit-of-work";
import type { UsersRepository } from "../users/users.repository";
import { InvalidCredentialsError, PasswordChangeRequiredError } from "./auth.errors";
import type { Credentials, CredentialsRepository } from "../users/credentials.repository";
import {
  assertPasswordsAllowed,
  assertPolicy,
  canNameSomeone,
  generatePassword,
  personActor,
} from "./credentials.rules";
import { changePasswordIn } from "./password-change";
import type { PasswordPolicy } from "./password-policy.rules";

export interface CredentialsOptions {
  clock: Clock;
  policy: PasswordPolicy;
  ssoOnly: boolean;
}

export interface SignedIn {
  id: string;
  userName: string;
}

export interface OneTimePassword extends SignedIn {
  /** Only when Roster generated it: shown once, to the admin who asked. */
  password?: string;
}

/** Hashed once per process: an unknown login is checked against it so that it costs what a wrong password does. */
let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword(randomBytes(18).toString("base64url")));

export async function matches(password: string, stored: string | null): Promise<boolean> {
  try {
    return await verifyPassword(password, stored ?? (await dummyHash()));
  } catch {
    return false; // a stored value in no known format never matches
  }
}

/**
 * Passwords: signing in, changing one's password, and an admin's one-time password. Roster is the user store; it
 * answers who someone is and keeps no session (the platform does).
 */
export class CredentialsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: CredentialsRepository,
    private readonly users: UsersRepository,
    private readonly invitations: InvitationsRepository,
    private readonly opts: CredentialsOptions,
  ) {}

  /** The person a login and password identify; last_login_at is set (and audited). */
  async login(ctx: Ctx, login: string, password: string): Promise<SignedIn> {
    const cred = await this.verified(login, password);
    if (cred.mustChange) throw new PasswordChangeRequiredError();
    const now = this.opts.clock.now();
    const row = await writeAlone(
      this.ds,
      { ...ctx, door: "auth", actor: personActor(cred) },
      this.repo.signedIn(cred.id, cred.passwordHash!, now),
      {
        audits: [
          {
            action: "user.signed_in",
            subject: { type: "user", id: cred.id },
            changes: { lastLoginAt: { before: cred.lastLoginAt, after: now } },
          },
        ],
        events: [],
      },
    );
    if (!row) throw new InvalidCredentialsError(); // the password changed, or the person was deactivated, meanwhile
    return { id: cred.id, userName: cred.userName };
  }

  /**
   * Changes a password after checking the current one (a one-time password included); joining, for someone who had
   * not yet: enrolled_at is set and their open invitations are withdrawn.
   */
  async changePassword(ctx: Ctx, login: string, current: string, next: string): Promise<SignedIn> {
    const cred = await this.verified(login, current);
    assertPolicy("newPassword", next, this.opts.policy, cred, current);
    const passwordHash = await hashPassword(next);
    const now = this.opts.clock.now();
    return unitOfWork(this.ds, { ...ctx, door: "auth", actor: personActor(cred) }, async (tx) => {
      if (!(await changePasswordIn(tx, { repo: this.repo, invitations: this.invitations }, cred, passwordHash, now)))
        throw new InvalidCredentialsError(); // changed or reset meanwhile: the current password no longer holds
      return { id: cred.id, userName: cred.userName };
    });
  }

  /**
   * An admin sets a password the person must change at first sign-in, or has one generated (returned once). Within the
   * admin's reach (person-access.rules: an admin's or auditor's needs an organisation-wide admin); refused under
   * SSO_ONLY and for a deactivated person.
   */
  async setOneTimePassword(ctx: Ctx, userId: string, given?: string): Promise<OneTimePassword> {
    assertPasswordsAllowed(this.opts.ssoOnly);
    const seen = await withDb(() => this.users.findLiveById(this.ds.manager, userId));
    if (!seen) throw new NotFoundError("User", userId);
    assertMay(ctx, "credentials", seen);
    if (given !== undefined) assertPolicy("password", given, this.opts.policy, seen);
    const password = given ?? generatePassword(this.opts.policy, seen);
    const passwordHash = await hashPassword(password);
    return unitOfWork(this.ds, ctx, async (tx) => {
      const user = await this.users.lockById(tx.manager, userId);
      if (!user || user.removedAt) throw new NotFoundError("User", userId);
      assertMay(ctx, "credentials", user);
      if (!user.active)
        throw new RefusedError(
          "user_inactive",
          "conflict",
          `${user.userName} is deactivated: activate the account before setting a password`,
        );
      const before = await this.repo.mustChange(tx.manager, user.id);
      await writeIn(tx, this.repo.setOneTime(user.id, passwordHash), {
        audits: [
          {
            action: "user.password_reset",
            subject: { type: "user", id: user.id },
            changes: {
              password: { before: "[hidden]", after: "[one-time]" },
              passwordMustChange: { before, after: true },
              generated: { before: null, after: given === undefined },
            },
          },
        ],
        events: [{ topic: "user.password_reset", payload: { userId: user.id, generated: given === undefined } }],
      });
      return { id: user.id, userName: user.userName, ...(given === undefined ? { password } : {}) };
    });
  }

  /**
   * The same one-time password inside the caller's transaction, given (an import's row): the policy, reach and
   * SSO_ONLY rules of setOneTimePassword; the person must change it at first sign-in.
   */
  async setOneTimePasswordIn(tx: TxCtx, userId: string, given: string): Promise<void> {
    assertPasswordsAllowed(this.opts.ssoOnly);
    const user = await this.users.lockById(tx.manager, userId);
    if (!user || user.removedAt) throw new NotFoundError("User", userId);
    assertMay(tx, "credentials", user);
    assertPolicy("password", given, this.opts.policy, user);
    const before = await this.repo.mustChange(tx.manager, user.id);
    await writeIn(tx, this.repo.setOneTime(user.id, await hashPassword(given)), {
      audits: [
        {
          action: "user.password_reset",
          subject: { type: "user", id: user.id },
          changes: {
            password: { before: "[hidden]", after: "[one-time]" },
            passwordMustChange: { before, after: true },
            generated: { before: null, after: false },
          },
        },
      ],
      events: [{ topic: "user.password_reset", payload: { userId: user.id, generated: false } }],
    });
  }

  /**
   * Whose budget of failed attempts a sign-in or password change with `login` spends: the account it names (so its
   * userName and every address share one budget), else the login itself, trimmed and lower-cased, so that probing
   * unknown names is limited too. The same query as signing in, whether the login is known or not.
   */
  async attemptsKeyOf(login: string): Promise<string> {
    const typed = login.trim().toLowerCase();
    const cred = await this.findByLogin(typed);
    // Digested: the key stays short, and a password typed into the login field is not kept in the counters' table.
    return cred ? `account:${cred.id}` : `login:${createHash("sha256").update(typed).digest("base64url")}`;
  }

  /** The person whose password this is; every failure is the same InvalidCredentialsError after the same work. */
  private async verified(login: string, password: string): Promise<Credentials> {
    assertPasswordsAllowed(this.opts.ssoOnly);
    const cred = await this.findByLogin(login);
    const ok = await matches(password, cred?.passwordHash ?? null);
    if (!cred?.passwordHash || !ok || !cred.active) throw new InvalidCredentialsError();
    return cred;
  }

  /** A login no one can have (control characters, NUL included, which PostgreSQL cannot take; too long) names no one. */
  findByLogin(login: string): Promise<Credentials | null> {
    if (!canNameSomeone(login)) return Promise.resolve(null);
    return withDb(() => this.repo.findByLogin(this.ds.manager, login));
  }
}
