import type { EntityManager } from "typeorm";
import type { Ctx } from "../context";
import type { EntitiesRepository } from "../entities/entities.repository";
import { ConflictError, InvalidError } from "../errors";
import { withDb } from "../unit-of-work";
import { assertAccountChange, normaliseAccount } from "./account.rules";
import type { UserAccount, UserProfile } from "./user";
import type { UsersRepository } from "./users.repository";

/** Which enterprise attribute an IdP's value is matched against entities by (SCIM_ENTITY_MAPPING). */
export type EntityMapping = "none" | "department" | "organization";

/** The account side of a user write: entity mapping, the actor's right to change roles and scope, email claims. */
export class UserAccounts {
  constructor(
    private readonly repo: UsersRepository,
    private readonly entities: EntitiesRepository,
    private readonly mapping: EntityMapping,
  ) {}

  /** Whether an IdP's write may move the person to another entity (SCIM_ENTITY_MAPPING is set). */
  get mapsEntities(): boolean {
    return this.mapping !== "none";
  }

  /** The entity the IdP-sent attribute named by SCIM_ENTITY_MAPPING points at, if exactly one matches. */
  async mappedEntity(profile: UserProfile, m: EntityManager): Promise<string | null> {
    const value = this.mapping === "none" ? null : profile.enterprise[this.mapping];
    return value ? withDb(() => this.entities.idForValue(m, value)) : null;
  }

  /**
   * The account to write: the entity follows the IdP's mapped value when `remap` and one entity matches (an unmatched
   * value changes nothing), then the actor's rights are checked and a new admin scope must name existing entities.
   */
  async accountFor(
    m: EntityManager,
    ctx: Ctx,
    before: UserAccount | null,
    wanted: UserAccount,
    profile: UserProfile,
    remap: boolean,
  ): Promise<UserAccount> {
    const mapped = remap ? await this.mappedEntity(profile, m) : null;
    const next = normaliseAccount({ ...wanted, entityId: mapped ?? wanted.entityId });
    const prior = before ? normaliseAccount(before) : null;
    assertAccountChange(ctx, prior, next);
    if (next.adminScope.length > 0 && next.adminScope.join() !== prior?.adminScope.join()) {
      const known = new Set((await this.entities.refs(m, next.adminScope)).map((e) => e.id));
      const unknown = next.adminScope.find((e) => !known.has(e));
      if (unknown) throw new InvalidError("adminScope", `${unknown} names no entity`);
    }
    return next;
  }

  mappedValue(p: UserProfile): string | null {
    return this.mapping === "none" ? null : (p.enterprise[this.mapping]?.toLowerCase() ?? null);
  }

  /** Inside a transaction: locks the addresses, then refuses any another live user already has. */
  async claimEmails(m: EntityManager, emails: string[], exceptId: string | null): Promise<void> {
    if (emails.length === 0) return;
    await this.repo.lockEmails(m, emails);
    const holder = await this.repo.liveUserWithEmail(m, emails, exceptId);
    if (holder) throw new ConflictError("email", `email '${holder.email}' already belongs to another person`);
  }
}
