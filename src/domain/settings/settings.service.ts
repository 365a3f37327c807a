import type { DataSource, EntityManager } from "typeorm";
import { type Listener, listen } from "../../db/notifications";
import { diffFields } from "../audit";
import { scopeOf } from "../scope";
import type { Ctx } from "../context";
import { PreconditionFailedError, RefusedError } from "../errors";
import { unitOfWork, withDb, writeIn } from "../unit-of-work";
import {
  COMMUNICATION_KEY,
  type CommunicationSetting,
  communicationOf,
  defaultCommunication,
  flatCommunication,
} from "./communication";
import { type SettingRow, SettingsRepository } from "./settings.repository";

/** A setting with the version its ETag carries (0: never written, the defaults apply). */
export interface Versioned<T> {
  value: T;
  version: number;
  updatedAt: Date | null;
}

const CHANGED_CHANNEL = "roster_settings_changed";

/**
 * Settings admins change at run time (today: the communication setting), read on hot paths (every SCIM create, every
 * invitation sent) through a short cache. A write clears this process's cache at once and NOTIFYs the others on commit
 * (`watch`); the TTL only bounds staleness while a process's listener is down.
 */
export class SettingsService {
  private readonly repo = new SettingsRepository();
  private readonly cache = new Map<string, { row: Versioned<CommunicationSetting>; until: number }>();

  constructor(
    private readonly ds: DataSource,
    private readonly cacheMs = 5000,
  ) {}

  /**
   * The communication setting in force (cached). Inside a transaction, pass its manager: a read on a second pool
   * connection while the transaction holds one lets a burst of such transactions take every connection and wait forever.
   */
  async communication(m: EntityManager = this.ds.manager): Promise<CommunicationSetting> {
    return (await this.communicationVersioned(m)).value;
  }

  async communicationVersioned(m: EntityManager = this.ds.manager): Promise<Versioned<CommunicationSetting>> {
    const hit = this.cache.get(COMMUNICATION_KEY);
    if (hit && hit.until > Date.now()) return hit.row;
    const row = await withDb(() => this.repo.find(m, COMMUNICATION_KEY));
    const versioned = toVersioned(row);
    if (this.cacheMs > 0) this.cache.set(COMMUNICATION_KEY, { row: versioned, until: Date.now() + this.cacheMs });
    return versioned;
  }

  /**
   * Replaces the communication setting (`settings.updated` audited with the fields that changed, and queued). Only an
   * admin of the whole organisation may: it applies to everyone. `ifMatch`: the versions the caller read.
   */
  async setCommunication(
    ctx: Ctx,
    value: CommunicationSetting,
    ifMatch?: number[],
  ): Promise<Versioned<CommunicationSetting>> {
    if (scopeOf(ctx) !== null) {
      throw new RefusedError(
        "out_of_scope",
        "forbidden",
        "The communication setting applies to the whole organisation: only an admin of the whole organisation may change it",
      );
    }
    const next = communicationOf(value);
    const saved = await unitOfWork(this.ds, ctx, async (tx) => {
      const current = await this.repo.lock(tx.manager, COMMUNICATION_KEY, defaultCommunication());
      if (ifMatch && !ifMatch.includes(current.version)) throw new PreconditionFailedError(current.version);
      const before = communicationOf(current.value);
      const changes = diffFields(flatCommunication(before), flatCommunication(next));
      if (Object.keys(changes).length === 0) return toVersioned(current);
      const row = await writeIn<SettingRow>(tx, this.repo.update(COMMUNICATION_KEY, current.version, next), {
        audits: [{ action: "settings.updated", subject: { type: "setting", id: COMMUNICATION_KEY }, changes }],
        events: [{ topic: "settings.updated", payload: { key: COMMUNICATION_KEY } }],
      });
      // Delivered on commit to every process watching (watch()).
      await tx.manager.query("SELECT pg_notify($1, $2)", [CHANGED_CHANNEL, COMMUNICATION_KEY]);
      return toVersioned(row!);
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

function toVersioned(row: SettingRow | null): Versioned<CommunicationSetting> {
  return row
    ? { value: communicationOf(row.value), version: row.version, updatedAt: row.updatedAt }
    : { value: defaultCommunication(), version: 0, updatedAt: null };
}
