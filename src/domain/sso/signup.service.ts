import type { DataSource } from "typeorm";
import { AccessRefusedError } from "../auth/access-errors";
import type { Ctx } from "../context";
import type { EntitiesRepository } from "../entities/entities.repository";
import type { Entity } from "../entities/entity";
import type { EntitiesService } from "../entities/entities.service";
import { ConflictError, InvalidError, NotFoundError } from "../errors";
import { inScope } from "../scope";
import type { SignUpSetting } from "../settings/setting-kinds";
import type { SettingsService, Versioned } from "../settings/settings.service";
import { recordIn, unitOfWork, withDb, writeIn } from "../unit-of-work";
import type { UsersService } from "../users/users.service";
import { type SignupLink, SignupLinksRepository } from "./signup-links.repository";
import { type SignUpInput, signLink, signUpProfile, verifyLink } from "./signup.rules";

export interface SignUpOptions {
  ssoOnly: boolean;
  /** The key department links are signed with (derived from the key-encryption secret). */
  linkKey: Buffer;
  /** The URL a department link's token opens (PUBLIC_BASE_URL/auth/sign-up?link=<token>). */
  linkUrl(token: string): string;
}

/** A department link as an admin sees it: the signed URL to hand out (and print as a QR code). */
export interface SignupLinkView extends SignupLink {
  url: string;
}

/**
 * Self sign-up (the `sign-up` setting, off by default) and its department links. A person signing up is created
 * through UsersService (source `signup`, audited with door auth, `user.created` queued) and invited in the same
 * transaction: activation is the existing invitation path (email or SMS, by the worker). An address already taken
 * creates nothing and answers the same, so the form tells nobody who has an account.
 */
export class SignUpService {
  private readonly links = new SignupLinksRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersService,
    private readonly entities: EntitiesRepository,
    private readonly entityList: EntitiesService,
    private readonly settings: SettingsService,
    private readonly o: SignUpOptions,
  ) {}

  /** Whether the form is open (refused codes: sso_only, signup_disabled). */
  async assertOpen(): Promise<void> {
    if (this.o.ssoOnly) throw new AccessRefusedError("sso_only", "accounts come from single sign-on here");
    if (!(await this.settings.signUpVersioned()).value.enabled)
      throw new AccessRefusedError("signup_disabled", "self sign-up is turned off");
  }

  /** The department a link carries: refused as login_expired when the link is forged, expired or revoked. */
  async linkDepartment(token: string): Promise<Entity> {
    const id = verifyLink(this.o.linkKey, token);
    const link = id ? await withDb(() => this.links.find(this.ds.manager, id)) : null;
    if (!link || link.revokedAt || (link.expiresAt && link.expiresAt.getTime() <= Date.now()))
      throw new AccessRefusedError("login_expired", "this sign-up link is unknown, expired or revoked");
    const entity = await withDb(() => this.entities.findById(this.ds.manager, link.entityId));
    if (!entity) throw new AccessRefusedError("login_expired", "this sign-up link's department is gone");
    return entity;
  }

  /** The departments the form lists. */
  departments(ctx: Ctx): Promise<Entity[]> {
    return this.entityList.list({ ...ctx, entityScope: null });
  }

  /** Signs a person up; `linkToken` (a department link) decides the department. Answers whether someone was created. */
  async signUp(ctx: Ctx, input: SignUpInput, linkToken: string | null): Promise<boolean> {
    await this.assertOpen();
    const setting = (await this.settings.signUpVersioned()).value;
    const profile = signUpProfile(input);
    profile.title = setting.defaultJobProfile;
    let entityId = setting.defaultEntityId;
    if (linkToken) entityId = (await this.linkDepartment(linkToken)).id;
    else if (input.entityId) {
      const chosen = await withDb(() => this.entities.findById(this.ds.manager, input.entityId as string));
      if (!chosen) throw new InvalidError("entityId", "is not one of the departments listed");
      entityId = chosen.id;
    }
    try {
      await unitOfWork(this.ds, ctx, (tx) =>
        this.users.createIn(
          tx,
          { profile },
          "signup",
          linkToken ? "department-link" : null,
          { entityId, systemRole: setting.defaultRole, adminScope: [], external: false },
          { invite: true, uniqueEmail: true, restoreRemoved: false },
        ),
      );
      return true;
    } catch (e) {
      if (e instanceof ConflictError) return false;
      throw e;
    }
  }

  /** Replaces the sign-up setting; a default entity that does not exist is a 400 naming it. */
  async setSetting(ctx: Ctx, value: SignUpSetting, ifMatch?: number[]): Promise<Versioned<SignUpSetting>> {
    const entity = value.defaultEntityId;
    if (entity && !(await withDb(() => this.entities.findById(this.ds.manager, entity))))
      throw new InvalidError("defaultEntityId", "names no entity");
    return this.settings.setSignUp(ctx, value, ifMatch);
  }

  async createLink(ctx: Ctx, entityId: string, expiresAt: Date | null): Promise<SignupLinkView> {
    // An admin limited to some entities hands out links to those only (out of reach = unknown, as everywhere).
    if (!inScope(ctx, entityId)) throw new NotFoundError("Entity", entityId);
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw new InvalidError("expiresAt", "is in the past");
    const link = await unitOfWork(this.ds, ctx, async (tx) => {
      if (!(await this.entities.findById(tx.manager, entityId))) throw new NotFoundError("Entity", entityId);
      const row = await writeIn<SignupLink>(tx, this.links.insert(entityId, expiresAt, ctx.actor.name), {
        audits: [],
        events: [],
      });
      await recordIn(tx, {
        audits: [
          {
            action: "signup_link.created",
            subject: { type: "signup_link", id: row!.id },
            changes: { entityId, expiresAt: expiresAt?.toISOString() ?? null },
          },
        ],
        events: [],
      });
      return row!;
    });
    return this.view(link);
  }

  async listLinks(entityId: string): Promise<SignupLinkView[]> {
    if (!(await withDb(() => this.entities.findById(this.ds.manager, entityId))))
      throw new NotFoundError("Entity", entityId);
    return (await withDb(() => this.links.listFor(this.ds.manager, entityId))).map((l) => this.view(l));
  }

  async revokeLink(ctx: Ctx, entityId: string, id: string): Promise<SignupLinkView> {
    if (!inScope(ctx, entityId)) throw new NotFoundError("Entity", entityId);
    const row = await unitOfWork(this.ds, ctx, async (tx) => {
      const current = await this.links.find(tx.manager, id);
      if (!current || current.entityId !== entityId) throw new NotFoundError("SignupLink", id);
      if (current.revokedAt) return current;
      return (await writeIn<SignupLink>(tx, this.links.revoke(entityId, id), {
        audits: [{ action: "signup_link.revoked", subject: { type: "signup_link", id }, changes: { entityId } }],
        events: [],
      }))!;
    });
    return this.view(row);
  }

  private view(l: SignupLink): SignupLinkView {
    return { ...l, url: this.o.linkUrl(signLink(this.o.linkKey, l.id)) };
  }
}
