import { DataSource } from "typeorm";
import { recordAudit, diffFields } from "../audit";
import { Ctx, TxCtx } from "../context";
import { ConflictError, NotFoundError, PreconditionFailedError } from "../errors";
import { enqueue } from "../outbox";
import { hashPassword } from "../passwords";
import { inTransaction, withDb } from "../transaction";
import { User, UserSource, UserWrite } from "./user";
import { ListQuery, UsersRepository, profileOf } from "./users.repository";
import { assertValidProfile, auditView } from "./users.rules";

export interface WriteOptions {
  /** Versions the caller accepts (If-Match); any other current version is PreconditionFailedError. */
  ifMatch?: number[];
}

/** Creates a replacement for `current`; returning it unchanged is a no-op. */
export type Mutation = (current: User) => UserWrite | Promise<UserWrite>;

/** The user use cases every door shares. Each write is one transaction with its audit and outbox rows. */
export class UsersService {
  private readonly repo: UsersRepository;

  constructor(private readonly ds: DataSource) {
    this.repo = new UsersRepository(ds.manager);
  }

  /** Creates a user; a userName an IdP removed earlier brings that account back instead of failing. */
  async create(ctx: Ctx, input: UserWrite, source: UserSource, sourceRef: string | null = null): Promise<User> {
    assertValidProfile(input.profile);
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return inTransaction(this.ds, ctx, async (tx) => {
      const existing = await this.repo.lockByUserName(tx.manager, input.profile.userName);
      if (existing && !existing.removedAt) throw new ConflictError("userName", `userName '${input.profile.userName}' is already taken`);
      if (existing) return this.restore(tx, existing, input, passwordHash, source, sourceRef);
      const user = await this.repo.insertIfAbsent(tx.manager, input.profile, source, sourceRef, passwordHash);
      if (!user) throw new ConflictError("userName", `userName '${input.profile.userName}' is already taken`);
      await recordAudit(tx, "user.created", { type: "user", id: user.id }, diffFields({}, auditView(input.profile)));
      await enqueue(tx, "user.created", { userId: user.id, source });
      return user;
    });
  }

  async get(id: string): Promise<User> {
    const user = await withDb(() => this.repo.findLiveById(this.ds.manager, id));
    if (!user) throw new NotFoundError("User", id);
    return user;
  }

  async list(query: ListQuery): Promise<{ total: number; users: User[] }> {
    return withDb(() => this.repo.list(this.ds.manager, query));
  }

  /** Locks the row, applies `mutate` to the current state and writes the result: concurrent updates never lose each other. */
  async update(ctx: Ctx, id: string, mutate: Mutation, opts: WriteOptions = {}): Promise<{ user: User; changed: boolean }> {
    return inTransaction(this.ds, ctx, async (tx) => {
      const current = await this.lockLive(tx, id, opts);
      const next = await mutate(current);
      assertValidProfile(next.profile);
      const changes = diffFields(auditView(profileOf(current)), auditView(next.profile));
      if (Object.keys(changes).length === 0 && !next.password) return { user: current, changed: false };
      const extra = next.password ? { passwordHash: await hashPassword(next.password) } : {};
      if (next.password) changes.password = { before: "[hidden]", after: "[changed]" };
      const user = await this.repo.update(tx.manager, id, next.profile, extra);
      await this.recordUpdate(tx, current, user, changes);
      return { user, changed: true };
    });
  }

  /** IdP removal (SCIM DELETE): the account stays, deactivated and hidden from SCIM, its data kept. */
  async remove(ctx: Ctx, id: string, opts: WriteOptions = {}): Promise<void> {
    await inTransaction(this.ds, ctx, async (tx) => {
      const current = await this.lockLive(tx, id, opts);
      await this.repo.update(tx.manager, id, { ...profileOf(current), active: false }, { removedAt: new Date() });
      await recordAudit(tx, "user.deleted", { type: "user", id }, { active: { before: current.active, after: false }, removed: { before: false, after: true } });
      await enqueue(tx, "user.deleted", { userId: id });
    });
  }

  private async lockLive(tx: TxCtx, id: string, opts: WriteOptions): Promise<User> {
    const current = await this.repo.lockById(tx.manager, id);
    if (!current || current.removedAt) throw new NotFoundError("User", id);
    if (opts.ifMatch && !opts.ifMatch.includes(current.version)) throw new PreconditionFailedError(current.version);
    return current;
  }

  private async restore(tx: TxCtx, removed: User, input: UserWrite, passwordHash: string | null, source: UserSource, sourceRef: string | null): Promise<User> {
    const user = await this.repo.update(tx.manager, removed.id, input.profile, { removedAt: null, source, sourceRef, ...(passwordHash ? { passwordHash } : {}) });
    const changes = diffFields(auditView(profileOf(removed)), auditView(input.profile));
    await recordAudit(tx, "user.restored", { type: "user", id: user.id }, { ...changes, removed: { before: true, after: false } });
    await enqueue(tx, "user.created", { userId: user.id, source, restored: true });
    return user;
  }

  private async recordUpdate(tx: TxCtx, before: User, after: User, changes: ReturnType<typeof diffFields>): Promise<void> {
    const { active, ...others } = changes;
    if (Object.keys(others).length > 0) {
      await recordAudit(tx, "user.updated", { type: "user", id: after.id }, others);
      await enqueue(tx, "user.updated", { userId: after.id, fields: Object.keys(others) });
    }
    if (active) {
      const topic = after.active ? "user.reactivated" : "user.deactivated";
      await recordAudit(tx, topic, { type: "user", id: after.id }, { active });
      await enqueue(tx, topic, { userId: after.id, wasActive: before.active });
    }
  }
}
