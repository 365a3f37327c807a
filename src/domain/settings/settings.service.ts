import type { DataSource, EntityManager } from "typeorm";
import { type Listener, listen } from "../../db/notifications";
import { diffFields } from "../audit";
import { scopeOf } from "../scope";
import type { Ctx } from "../context";
import { PreconditionFailedError, RefusedError } from "../errors";
import { unitOfWork, withDb, writeIn } from "../unit-of-work";
import { type FieldOwnership, parseFieldOwnership } from "../users/field-ownership";
import type { CommunicationSetting } from "./communication";
import { type SettingRow, SettingsRepository } from "./settings.repository";
import {
  COMMUNICATION,
  FIELD_OWNERSHIP,
  IDP_DOMAINS,
  type IdpDomains,
  type SettingKind,
  SIGN_UP,
  type SignUpSetting,
  parseIdpDomains,
} from "./setting-kinds";

/** A setting with the version its ETag carries (0: never written, the defaults apply). */
export interface Versioned<T> {
  value: T;
  version: number;
  updatedAt: Date | null;
}

const CHANGED_CHANNEL = "roster_settings_changed";

/**
 * Settings admins change at run time (communication, field ownership, IdP domains), read on hot paths (every SCIM
 * write, every invitation sent) through a short cache. A write clears this process's cache at once and NOTIFYs the
 * others on commit (`watch`); the TTL only bounds staleness while a process's listener is down.
 */
export class SettingsService {
  private readonly repo = new SettingsRepository();
  private readonly cache = new Map<string, { row: Versioned<unknown>; until: number }>();

  constructor(
    private readonly ds: DataSource,
    private readonly cacheMs = 5000,
  ) {}

  /**
   * The communication setting in force (cached). Inside a transaction, pass its manager: a read on a second pool
   * connection while the transaction holds one lets a burst of such transactions take every connection and wait forever.
   */
  async communication(m: EntityManager = this.ds.manager): Promise<CommunicationSetting> {
    return (await this.read(COMMUNICATION, m)).value;
  }

  communicationVersioned(m: EntityManager = this.ds.manager): Promise<Versioned<CommunicationSetting>> {
    return this.read(COMMUNICATION, m);
  }

  /** Replaces the communication setting (`settings.updated` audited with the fields that changed, and queued). */
  setCommunication(
    ctx: Ctx,
    value: CommunicationSetting,
    ifMatch?: number[],
  ): Promise<Versioned<CommunicationSetting>> {
    return this.write(ctx, COMMUNICATION, COMMUNICATION.of(value), ifMatch);
  }

  /** Who owns each owned profile field (cached; read on every IdP push and admin edit of a SCIM-managed person). */
  async fieldOwnership(m: EntityManager = this.ds.manager): Promise<FieldOwnership> {
    return (await this.read(FIELD_OWNERSHIP, m)).value;
  }

  fieldOwnershipVersioned(): Promise<Versioned<FieldOwnership>> {
    return this.read(FIELD_OWNERSHIP, this.ds.manager);
  }

  /** Replaces the field ownership: an unknown field or owner is a 400 naming `fields.<name>`; fields left out take their default. */
  setFieldOwnership(ctx: Ctx, fields: Record<string, unknown>, ifMatch?: number[]): Promise<Versioned<FieldOwnership>> {
    return this.write(ctx, FIELD_OWNERSHIP, parseFieldOwnership(fields), ifMatch);
  }

  idpDomainsVersioned(): Promise<Versioned<IdpDomains>> {
    return this.read(IDP_DOMAINS, this.ds.manager);
  }

  setIdpDomains(ctx: Ctx, domains: string[], ifMatch?: number[]): Promise<Versioned<IdpDomains>> {
    return this.write(ctx, IDP_DOMAINS, parseIdpDomains(domains), ifMatch);
  }

  /** The self sign-up setting (cached; read by the sign-in page and every sign-up). */
  signUpVersioned(): Promise<Versioned<SignUpSetting>> {
    return this.read(SIGN_UP, this.ds.manager);
  }

  /** Replaces the self sign-up setting; the door checked the shape, the sso folder checks the entity exists. */
  setSignUp(ctx: Ctx, value: SignUpSetting, ifMatch?: number[]): Promise<Versioned<SignUpSetting>> {
    return this.write(ctx, SIGN_UP, SIGN_UP.of(value), ifMatch);
  }

  private async read<T>(kind: SettingKind<T>, m: EntityManager): Promise<Versioned<T>> {
    const hit = this.cache.get(kind.key);
    if (hit && hit.until > Date.now()) return hit.row as Versioned<T>;
    const versioned = toVersioned(kind, await withDb(() => this.repo.find(m, kind.key)));
    if (this.cacheMs > 0) this.cache.set(kind.key, { row: versioned, until: Date.now() + this.cacheMs });
    return versioned;
  }

  /**
   * Replaces a setting (`settings.updated` audited with the fields that changed, and queued). Only an admin of the
   * whole organisation may: it applies to everyone. `ifMatch`: the versions the caller read.
   */
  private async write<T>(ctx: Ctx, kind: SettingKind<T>, next: T, ifMatch?: number[]): Promise<Versioned<T>> {
    if (scopeOf(ctx) !== null) {
      throw new RefusedError(
        "out_of_scope",
        "forbidden",
        `The ${kind.key} setting applies to the whole organisation: only an admin of the whole organisation may change it`,
      );
    }
    const saved = await unitOfWork(this.ds, ctx, async (tx) => {
      const current = await this.repo.lock(tx.manager, kind.key, kind.defaults());
      if (ifMatch && !ifMatch.includes(current.version)) throw new PreconditionFailedError(current.version);
      const changes = diffFields(kind.flat(kind.of(current.value)), kind.flat(next));
      if (Object.keys(changes).length === 0) return toVersioned(kind, current);
      const row = await writeIn<SettingRow>(tx, this.repo.update(kind.key, current.version, next), {
        audits: [{ action: "settings.updated", subject: { type: "setting", id: kind.key }, changes }],
        events: [{ topic: "settings.updated", payload: { key: kind.key } }],
      });
      // Delivered on commit to every process watching (watch()).
      await tx.manager.query("SELECT pg_notify($1, $2)", [CHANGED_CHANNEL, kind.key]);
      return toVersioned(kind, row!);
    });
    this.forget();
    return saved;
  }

  /** Forgets cached settings whenever any process changes one (and when the listener loses its connection). */
  watch(url: string): Promise<Listener> {
    const forget = () => this.forget();
    return listen(url, CHANGED_CHANNEL, forget, forget);
  }

  /** Drops the cache: the next read goes to the database. */
  forget(): void {
    this.cache.clear();
  }
}

function toVersioned<T>(kind: SettingKind<T>, row: SettingRow | null): Versioned<T> {
  return row
    ? { value: kind.of(row.value), version: row.version, updatedAt: row.updatedAt }
    : { value: kind.defaults(), version: 0, updatedAt: null };
}
