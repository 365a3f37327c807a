import { type NextFunction, type Request, type Response, Router } from "express";
import { z } from "zod";
import type { EntitiesService } from "../../domain/entities/entities.service";
import type { Entity, EntityDetail } from "../../domain/entities/entity";
import { isUuid } from "../../domain/ids";
import { adminCtx } from "./admin-auth";
import { etagOf, ifMatchVersions } from "./if-match";

const NewEntity = z.strictObject({
  name: z.string(),
  parentId: z.guid().nullable().optional(),
  externalKey: z.string().nullable().optional(),
});
const EntityPatch = z.strictObject({
  name: z.string().optional(),
  parentId: z.guid().nullable().optional(),
  externalKey: z.string().nullable().optional(),
});
const ListQuery = z.object({ tree: z.enum(["true", "false"]).optional() });

type Presented = ReturnType<typeof present>;
type Node = Presented & { children: Node[] };

const present = (e: Entity) => ({
  id: e.id,
  name: e.name,
  parentId: e.parentId,
  externalKey: e.externalKey,
  createdAt: e.createdAt.toISOString(),
  updatedAt: e.updatedAt.toISOString(),
  version: e.version,
});
const presentDetail = (e: EntityDetail) => ({
  ...present(e),
  path: e.path,
  childCount: e.childCount,
  userCount: e.userCount,
});

/** Nests a flat, name-ordered list; an entity whose parent is not in the list (out of the caller's scope) is a root. */
function nest(entities: Entity[]): Node[] {
  const nodes = new Map(entities.map((e) => [e.id, { ...present(e), children: [] as Node[] }]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** Path ids that are not uuids fall through to the door's 404 (and to any other router mounted on the same path). */
const uuidParam = (req: Request, _res: Response, next: NextFunction) =>
  next(isUuid(String(req.params.id)) ? undefined : "route");

/** /admin/v1/entities: the organisation's tree (EntitiesService holds every rule, the caller's entity scope included). */
export function entitiesRouter(entities: EntitiesService): Router {
  const r = Router();

  r.get("/", async (req, res) => {
    const { tree } = ListQuery.parse(req.query);
    const list = await entities.list(adminCtx(req, res));
    res.json({ entities: tree === "true" ? nest(list) : list.map(present) });
  });

  r.post("/", async (req, res) => {
    const body = NewEntity.parse(req.body);
    const created = await entities.create(adminCtx(req, res), {
      name: body.name,
      parentId: body.parentId ?? null,
      externalKey: body.externalKey ?? null,
    });
    res
      .status(201)
      .location(`${req.baseUrl}/${created.id}`)
      .set("ETag", etagOf(created.version))
      .json(present(created));
  });

  r.get("/:id", uuidParam, async (req, res) => {
    const entity = await entities.get(adminCtx(req, res), String(req.params.id));
    res.set("ETag", etagOf(entity.version)).json(presentDetail(entity));
  });

  r.patch("/:id", uuidParam, async (req, res) => {
    const body = EntityPatch.parse(req.body ?? {});
    const updated = await entities.update(adminCtx(req, res), String(req.params.id), body, ifMatchVersions(req));
    res.set("ETag", etagOf(updated.version)).json(present(updated));
  });

  r.delete("/:id", uuidParam, async (req, res) => {
    await entities.remove(adminCtx(req, res), String(req.params.id), ifMatchVersions(req));
    res.status(204).end();
  });
  return r;
}
