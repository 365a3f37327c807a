import type { DataSource } from "typeorm";
import type { AccessErrorCode } from "../auth/access-errors";
import type { Ctx, TxCtx } from "../context";
import type { EntitiesRepository } from "../entities/entities.repository";
import { ConflictError } from "../errors";
import { unitOfWork, writeIn } from "../unit-of-work";
import type { User } from "../users/user";
import type { UsersRepository } from "../users/users.repository";
import type { UsersService } from "../users/users.service";
import type { SsoConnection } from "./connection";
import { type SsoLink, SsoLinksRepository } from "./sso-links.repository";
import {
  type Claims,
  emailOf,
  emailVerified,
  entityKeyOf,
  groupRefusal,
  jitProfile,
  jitRefusal,
  linkClaimValue,
} from "./sso.rules";

/** Called with the refusal's code: it throws (the sign-in service's SsoRefusedError, carrying the attempt). */
export type Refuse = (code: AccessErrorCode, detail: string) => never;

/**
 * Who an SSO sign-in is, in one transaction: a linked person by (issuer, subject) only; else, at a first sign-in, a
 * live person linked through the connection's link claim (the SCIM externalId) or a verified email; else a person
 * created just in time by the connection's rules (through UsersService: audited, door auth, `user.created` queued).
 * Nobody is ever sent an invitation from here: an SSO sign-in is the person's way in.
 */
export class SsoAccounts {
  private readonly links = new SsoLinksRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersService,
    private readonly usersRepo: UsersRepository,
    private readonly entities: EntitiesRepository,
  ) {}

  async resolve(ctx: Ctx, conn: SsoConnection, claims: Claims, refuse: Refuse): Promise<string> {
    const subject = typeof claims.sub === "string" ? claims.sub : null;
    if (!subject) refuse("idp_error", "the ID token has no subject");
    try {
      return await unitOfWork(this.ds, ctx, (tx) => this.resolveIn(tx, conn, subject!, claims, refuse));
    } catch (e) {
      // one link per person and issuer (sso_links_issuer_user_key), an email or userName taken meanwhile
      if (e instanceof ConflictError) refuse("account_conflict", "this account is already linked to another identity");
      throw e;
    }
  }

  private async resolveIn(tx: TxCtx, conn: SsoConnection, subject: string, claims: Claims, refuse: Refuse) {
    const m = tx.manager;
    const linked = await this.links.find(m, conn.issuer, subject);
    if (linked) {
      const user = await this.usersRepo.findLiveById(m, linked.userId);
      this.admit(user, conn, claims, refuse);
      await this.links.touch(m, conn.issuer, subject);
      return linked.userId;
    }
    const groups = groupRefusal(conn, claims);
    if (groups) refuse(groups, "the person is in none of the groups this connection requires");
    const verified = emailVerified(claims, conn.trustEmail);
    const email = emailOf(claims);

    const byClaim = linkClaimValue(claims, conn.linkClaim);
    if (byClaim !== null) {
      const found = await this.usersRepo.liveByExternalId(m, byClaim);
      if (found.length > 1)
        refuse("account_conflict", `several people have the externalId the ${conn.linkClaim} claim names`);
      if (found.length === 1) return this.link(tx, conn, subject, found[0], "claim", claims, refuse);
    }
    if (email !== null) {
      // an unverified email neither links nor creates (the "nOAuth" takeover)
      if (!verified) refuse("email_unverified", "the IdP does not say this email is verified");
      await this.usersRepo.lockEmails(m, [email]);
      const holder = await this.usersRepo.liveUserWithEmail(m, [email], null);
      if (holder) {
        const user = await this.usersRepo.findLiveById(m, holder.id);
        return this.link(tx, conn, subject, user, "email", claims, refuse);
      }
    }
    const refusal = jitRefusal(conn.jit, claims, verified);
    if (refusal) refuse(refusal, jitDetail(refusal));
    const key = entityKeyOf(claims, conn.claimMapping);
    const entityId = (key ? await this.entities.idForValue(m, key) : null) ?? conn.jit.defaultEntityId;
    const profile = jitProfile(claims, email!, conn.claimMapping, conn.jit);
    profile.emails = [{ value: email!, type: "work", primary: true }];
    const created = await this.users.createIn(
      tx,
      { profile },
      "jit",
      conn.issuer,
      { entityId, systemRole: conn.jit.defaultRole, adminScope: [], external: false },
      { invite: false, uniqueEmail: true, restoreRemoved: false },
    );
    return this.link(tx, conn, subject, created, "jit", claims, refuse);
  }

  /** A person may come in: live, active, and in a required group when the connection names some. */
  private admit(user: User | null, conn: SsoConnection, claims: Claims, refuse: Refuse): asserts user is User {
    if (!user?.active) refuse("user_deactivated", "the account is deactivated");
    const groups = groupRefusal(conn, claims);
    if (groups) refuse(groups, "the person is in none of the groups this connection requires");
  }

  private async link(
    tx: TxCtx,
    conn: SsoConnection,
    subject: string,
    user: User | null,
    linkedBy: SsoLink["linkedBy"],
    claims: Claims,
    refuse: Refuse,
  ): Promise<string> {
    this.admit(user, conn, claims, refuse);
    const other = await this.links.subjectOf(tx.manager, conn.issuer, user.id);
    if (other !== null && other !== subject)
      refuse("account_conflict", "this person is already linked to another identity at this IdP");
    const row = await writeIn<{ userId: string }>(
      tx,
      this.links.insert({ issuer: conn.issuer, subject, userId: user.id, connectionId: conn.id, linkedBy }),
      {
        audits: [
          {
            action: "sso.linked",
            subject: { type: "user", id: user.id },
            changes: { issuer: conn.issuer, subject, connectionId: conn.id, linkedBy },
          },
        ],
        events: [],
      },
    );
    if (row) return row.userId;
    // the same subject linked by a concurrent sign-in: the person it found wins
    const winner = await this.links.find(tx.manager, conn.issuer, subject);
    if (!winner || winner.userId !== user.id)
      refuse("account_conflict", "this identity was just linked to someone else");
    return user.id;
  }
}

function jitDetail(code: AccessErrorCode): string {
  switch (code) {
    case "jit_disabled":
      return "nobody is created at sign-in through this connection";
    case "domain_not_allowed":
      return "the email's domain is not one this connection creates accounts for";
    case "claim_missing":
      return "the ID token lacks an email or a claim value this connection requires";
    case "email_unverified":
      return "the IdP does not say this email is verified";
    default:
      return code;
  }
}
