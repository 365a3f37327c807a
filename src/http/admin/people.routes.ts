import express, { type NextFunction, type Request, type Response, Router } from "express";
import { createBatch } from "../../domain/people/people-batch";
import type { PeopleService } from "../../domain/people/people.service";
import type { PersonView } from "../../domain/people/person";
import { isUuid } from "../../domain/ids";
import { adminCtx } from "./admin-auth";
import { parseBatch } from "./batch-input";
import { etagOf, ifMatchVersions } from "./if-match";
import { NewPersonBody, PersonPatchBody } from "./people.schemas";
import { refuseUnstorableBody } from "../middleware/well-formed-input";
import { presentPerson } from "./person.presenter";

export interface PeopleRoutesOptions {
  people: PeopleService;
  batchMaxLines: number;
  bodyLimitBytes: number;
}

/** Path ids that are not uuids fall through (to other routers on /users, then the door's 404). */
const uuidParam = (req: Request, _res: Response, next: NextFunction) =>
  next(isUuid(String(req.params.id)) ? undefined : "route");

const send = (res: Response, view: PersonView, status = 200) =>
  void res.status(status).set("ETag", etagOf(view.user.version)).json(presentPerson(view));

/**
 * /admin/v1/users: create one or a batch, read, change, deactivate and activate people. Every rule is in PeopleService
 * and UsersService (the manual policy, SSO-only, the caller's entity scope, IdP-owned fields); the search and mass
 * actions on /users are another router's.
 */
export function peopleRouter(o: PeopleRoutesOptions): Router {
  const r = Router();

  r.post("/", async (req, res) => {
    const body = NewPersonBody.parse(req.body);
    const view = await o.people.create(adminCtx(req, res), { ...body, invite: body.invite === "now" });
    res.location(`${req.baseUrl}/${view.user.id}`);
    send(res, view, 201);
  });

  r.post(
    "/batch",
    express.text({ type: "text/plain", limit: o.bodyLimitBytes }),
    refuseUnstorableBody,
    async (req, res) => {
      o.people.assertManualCreation();
      const { lines, settings } = parseBatch(req, o.batchMaxLines);
      const results = await createBatch(o.people, adminCtx(req, res), lines, settings);
      const summary = { created: 0, exists: 0, invalid: 0, duplicate: 0 };
      for (const result of results) summary[result.status]++;
      res.json({ summary, results });
    },
  );

  r.get("/:id", uuidParam, async (req, res) =>
    send(res, await o.people.get(adminCtx(req, res), String(req.params.id))),
  );

  r.patch("/:id", uuidParam, async (req, res) => {
    const body = PersonPatchBody.parse(req.body ?? {});
    send(res, await o.people.change(adminCtx(req, res), String(req.params.id), body, ifMatchVersions(req)));
  });

  r.post("/:id/deactivate", uuidParam, async (req, res) =>
    send(res, await o.people.setActive(adminCtx(req, res), String(req.params.id), false)),
  );
  r.post("/:id/activate", uuidParam, async (req, res) =>
    send(res, await o.people.setActive(adminCtx(req, res), String(req.params.id), true)),
  );
  return r;
}
