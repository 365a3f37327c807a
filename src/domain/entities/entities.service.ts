import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { inScope, scopeOf } from "../scope";
import { diffFields } from "../audit";
import type { Ctx, TxCtx } from "../context";
import { InvalidError, NotFoundError, PreconditionFailedError, RefusedError } from "../errors";
import { unitOfWork, withDb, writeAlone, writeIn } from "../unit-of-work";
import { EntitiesRepository } from "./entities.repository";
import { entityName, externalKey } from "./entities.rules";
import type { Entity, EntityDetail, EntityInput } from "./entity";

const outOfScope = (message: string, field: string) => new RefusedError("out_of_scope", "forbidden", message, field);
const auditable = (e: EntityInput) => ({ name: e.name, parentId: e.parentId, externalKey: e.externalKey });

/**
 * The organisation's entities, as a tree. An actor limited to some entities (ctx.entityScope) sees and changes only
 * those, creates entities only below them, and never moves one out of their reach; top-level entities need an actor
 * of the whole organisation. Each write commits with its audit record and outbox event.
 */
export class EntitiesService {
  private readonly repo = new EntitiesRepository();

  constructor(private readonly ds: DataSource) {}

  list(ctx: Ctx): Promise<Entity[]> {
    return withDb(() => this.repo.list(this.ds.manager, scopeOf(ctx)));
  }

  /** Names of the given entities within the caller's reach (a list of people shows each one's entity by name). */
  async names(ctx: Ctx, ids: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)].filter((id) => inScope(ctx, id));
    const refs = await withDb(() => this.repo.refs(this.ds.manager, wanted));
    return new Map(refs.map((r) => [r.id, r.name]));
  }

  async get(ctx: Ctx, id: string): Promise<EntityDetail> {
    return withDb(async () => {
      const entity = await this.repo.findById(this.ds.manager, id);
      if (!entity || !inScope(ctx, entity.id)) throw new NotFoundError("Entity", id);
      const [path, usage] = await Promise.all([
        this.repo.path(this.ds.manager, id),
        this.repo.usage(this.ds.manager, id),
      ]);
      return { ...entity, path, childCount: usage.children, userCount: usage.liveUsers };
    });
  }

  async create(ctx: Ctx, input: EntityInput): Promise<Entity> {
    const next = {
      name: entityName(input.name),
      parentId: input.parentId,
      externalKey: externalKey(input.externalKey),
    };
    this.assertCanPlaceUnder(ctx, next.parentId);
    const id = randomUUID();
    const row = await writeAlone<Entity>(
      this.ds,
      ctx,
      this.repo.insert(id, next.name, next.parentId, next.externalKey),
      {
        audits: [
          { action: "entity.created", subject: { type: "entity", id }, changes: diffFields({}, auditable(next)) },
        ],
        events: [{ topic: "entity.created", payload: { entityId: id, parentId: next.parentId } }],
      },
    );
    return row!;
  }

  /** Renames, re-keys or moves an entity; a move below itself or one of its own sub-entities is refused (entity_cycle). */
  async update(ctx: Ctx, id: string, patch: Partial<EntityInput>, ifMatch?: number[]): Promise<Entity> {
    return unitOfWork(this.ds, ctx, async (tx) => {
      const moving = patch.parentId !== undefined;
      if (moving) await this.repo.lockTree(tx.manager);
      const current = await this.lockInScope(tx, id, ifMatch);
      const next: EntityInput = {
        name: patch.name === undefined ? current.name : entityName(patch.name),
        parentId: patch.parentId === undefined ? current.parentId : patch.parentId,
        externalKey: patch.externalKey === undefined ? current.externalKey : externalKey(patch.externalKey),
      };
      const changes = diffFields(auditable(current), auditable(next));
      if (Object.keys(changes).length === 0) return current;
      if (changes.parentId) await this.assertCanMove(tx, current, next.parentId);
      const row = await writeIn<Entity>(
        tx,
        this.repo.update(id, current.version, next.name, next.parentId, next.externalKey),
        {
          audits: [{ action: "entity.updated", subject: { type: "entity", id }, changes }],
          events: [{ topic: "entity.updated", payload: { entityId: id, fields: Object.keys(changes) } }],
        },
      );
      return row!;
    });
  }

  /** Deletes an empty entity: refused while it has sub-entities, people, or figures in someone's admin scope. */
  async remove(ctx: Ctx, id: string, ifMatch?: number[]): Promise<void> {
    await unitOfWork(this.ds, ctx, async (tx) => {
      const current = await this.lockInScope(tx, id, ifMatch);
      const usage = await this.repo.usage(tx.manager, id);
      if (usage.children > 0)
        throw new RefusedError(
          "entity_has_children",
          "conflict",
          `'${current.name}' has ${usage.children} sub-entities: move or delete them first`,
        );
      if (usage.anyUsers)
        throw new RefusedError(
          "entity_has_users",
          "conflict",
          `people are placed in '${current.name}' (accounts removed by the identity provider count too): move them first`,
        );
      if (usage.inAdminScope)
        throw new RefusedError(
          "entity_in_admin_scope",
          "conflict",
          `'${current.name}' is part of someone's admin scope: change that scope first`,
        );
      await writeIn(tx, this.repo.delete(id, current.version), {
        audits: [
          { action: "entity.deleted", subject: { type: "entity", id }, changes: diffFields(auditable(current), {}) },
        ],
        events: [{ topic: "entity.deleted", payload: { entityId: id } }],
      });
    });
  }

  /** The entity under its row lock; out of the actor's scope it does not exist for them. */
  private async lockInScope(tx: TxCtx, id: string, ifMatch?: number[]): Promise<Entity> {
    const current = await this.repo.findById(tx.manager, id, true);
    if (!current || !inScope(tx, current.id)) throw new NotFoundError("Entity", id);
    if (ifMatch && !ifMatch.includes(current.version)) throw new PreconditionFailedError(current.version);
    return current;
  }

  private assertCanPlaceUnder(ctx: Ctx, parentId: string | null): void {
    if (scopeOf(ctx) === null) return;
    if (parentId === null)
      throw outOfScope("top-level entities are created and moved by an admin of the whole organisation", "parentId");
    if (!inScope(ctx, parentId)) throw outOfScope("parentId is outside your admin scope", "parentId");
  }

  private async assertCanMove(tx: TxCtx, entity: Entity, parentId: string | null): Promise<void> {
    this.assertCanPlaceUnder(tx, parentId);
    if (parentId === null) return;
    if (!(await this.repo.findById(tx.manager, parentId))) throw new InvalidError("parentId", "names no entity");
    if (await this.repo.isWithin(tx.manager, parentId, entity.id)) {
      throw new RefusedError(
        "entity_cycle",
        "conflict",
        `'${entity.name}' cannot move below itself or one of its own sub-entities`,
        "parentId",
      );
    }
  }
}
