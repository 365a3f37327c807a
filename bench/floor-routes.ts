import { randomUUID } from "node:crypto";
import express, { type Request, type Response } from "express";
import { Pool } from "pg";
import { BY_ID, COUNT, INSERT, PROFILE, REPLACE, SET_ACTIVE, pageSql } from "./floor-sql";

/**
 * The floor of each SCIM workload (issue 13): express 5 parses the same body, runs the one statement Roster runs for it
 * (bench/floor-sql.ts) on a pg pool as a named prepared statement, and answers the same JSON. No auth, no SCIM
 * validation, no logging: what Roster does beyond this is its own cost.
 */
type Row = Record<string, unknown> & { id: string; createdAt: Date; updatedAt: Date; version: number };
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const NAME = ["nameFormatted", "givenName", "familyName", "middleName", "honorificPrefix", "honorificSuffix"];
const PLAIN = ["displayName", "nickName", "profileUrl", "title", "userType", "preferredLanguage", "locale", "timezone"];

export function floorRoutes(app: express.Express, dbUrl: string, poolSize: number): () => Promise<void> {
  const pool = new Pool({ connectionString: dbUrl, max: poolSize, application_name: "roster-bench-floor" });
  const q = async (name: string, text: string, values: unknown[]) =>
    (await pool.query<Row>({ name, text, values })).rows;
  const base = (req: Request) => `http://${req.headers.host}/scim/v2`;
  const send = (res: Response, status: number, body: unknown) =>
    void res.status(status).type("application/scim+json").send(JSON.stringify(body));
  const user = (req: Request, res: Response, status: number, row: Row | undefined) =>
    row ? send(res, status, toScim(row, base(req))) : send(res, 404, { status: "404" });
  const effects = (action: string, id: string) => [
    JSON.stringify([
      {
        actor_type: "token",
        actor_id: null,
        actor_name: "floor",
        door: "scim",
        action,
        target_type: "user",
        target_id: id,
        changes: {},
        request_id: null,
      },
    ]),
    JSON.stringify([{ topic: action, payload: { userId: id } }]),
    JSON.stringify([
      {
        type: action,
        subject_type: "user",
        subject_id: id,
        data: { userId: id },
        door: "scim",
        actor: { type: "token", id: null, name: "floor" },
        request_id: null,
      },
    ]),
  ];
  const body = express.json({ type: ["application/json", "application/scim+json"], limit: "1mb" });

  app.get("/scim/v2/Users/:id", async (req, res) => user(req, res, 200, (await q("byId", BY_ID, [req.params.id]))[0]));
  app.get("/scim/v2/Users", async (req, res) => {
    const m = /^userName eq "(.*)"$/.exec(String(req.query.filter ?? ""));
    const count = Number(req.query.count ?? 100);
    const offset = Number(req.query.startIndex ?? 1) - 1;
    const rows = m
      ? await q("pageByName", pageSql(true), [m[1], count, offset])
      : await q("page", pageSql(false), [count, offset]);
    const total =
      rows.length > 0 && rows.length < count ? offset + rows.length : (await q("count", COUNT, []))[0].count;
    const b = base(req);
    send(res, 200, {
      schemas: [LIST],
      totalResults: total,
      startIndex: offset + 1,
      itemsPerPage: rows.length,
      Resources: rows.map((r) => toScim(r, b)),
    });
  });
  app.post("/scim/v2/Users", body, async (req, res) => {
    const id = randomUUID();
    const values = [
      id,
      ...profile(req.body),
      "scim",
      null,
      null,
      null,
      "member",
      [],
      false,
      ...effects("user.created", id),
    ];
    user(req, res, 201, (await q("insert", INSERT, values))[0]);
  });
  app.put("/scim/v2/Users/:id", body, async (req, res) => {
    const id = req.params.id;
    const values = [id, ...profile(req.body), null, null, "member", [], false, ...effects("user.updated", id)];
    user(req, res, 200, (await q("replace", REPLACE, values))[0]);
  });
  app.patch("/scim/v2/Users/:id", body, async (req, res) => {
    // Okta: {op: "replace", value: {active}}; Entra: {op: "Replace", path: "active", value: "False"}.
    const op = req.body.Operations[0];
    const raw = op.path ? op.value : op.value.active;
    const active = raw === true || String(raw).toLowerCase() === "true";
    const id = req.params.id;
    user(req, res, 200, (await q("setActive", SET_ACTIVE, [id, active, ...effects("user.updated", id)]))[0]);
  });
  return () => pool.end();
}

/** A SCIM User body -> the profile parameters ($2..$27), in floor-sql.ts's PROFILE order. */
function profile(b: Record<string, unknown>): unknown[] {
  const name = (b.name ?? {}) as Record<string, unknown>;
  const v: Record<string, unknown> = {
    ...b,
    nameFormatted: name.formatted,
    givenName: name.givenName,
    familyName: name.familyName,
    middleName: name.middleName,
    honorificPrefix: name.honorificPrefix,
    honorificSuffix: name.honorificSuffix,
    active: b.active !== false,
    emails: JSON.stringify(b.emails ?? []),
    phoneNumbers: JSON.stringify(b.phoneNumbers ?? []),
    extras: "{}",
  };
  return PROFILE.map(([p]) => v[p] ?? null);
}

/** The row as Roster's user.mapper.ts shows it (the attributes the bench's users carry). */
function toScim(r: Row, base: string): Record<string, unknown> {
  const out: Record<string, unknown> = { schemas: [USER], id: r.id };
  if (r.externalId !== null) out.externalId = r.externalId;
  out.userName = r.userName;
  const name: Record<string, unknown> = {};
  for (const k of NAME) if (r[k] !== null) name[k === "nameFormatted" ? "formatted" : k] = r[k];
  if (Object.keys(name).length) out.name = name;
  for (const k of PLAIN) if (r[k] !== null) out[k] = r[k];
  out.active = r.active;
  if ((r.emails as unknown[]).length) out.emails = r.emails;
  if ((r.phoneNumbers as unknown[]).length) out.phoneNumbers = r.phoneNumbers;
  const groups = r.groups as { id: string; display: string }[];
  if (groups.length)
    out.groups = groups.map((g) => ({ value: g.id, display: g.display, $ref: `${base}/Groups/${g.id}` }));
  out.meta = {
    resourceType: "User",
    created: r.createdAt.toISOString(),
    lastModified: r.updatedAt.toISOString(),
    location: `${base}/Users/${r.id}`,
    version: `W/"${r.version}"`,
  };
  return out;
}
