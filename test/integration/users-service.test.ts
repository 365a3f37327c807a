import type { Ctx, Door } from "../../src/domain/context";
import { NotFoundError, PreconditionFailedError } from "../../src/domain/errors";
import { emptyProfile } from "../../src/domain/users/user";
import { startTestApp, type TestApp } from "../support/app";
import { uniqueName } from "../support/factories";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const ctx: Ctx = { actor: { type: "system", id: null, name: "test" }, door: "admin", requestId: "req-1" };
const count = async (table: string) => Number((await t.ds.query(`SELECT count(*) FROM ${table}`))[0].count);

describe("UsersService: atomic writes", () => {
  it("writes nothing at all when the audit record cannot be written", async () => {
    const before = await Promise.all(["users", "audit_events", "events", "outbox"].map(count));
    // The audit table's CHECK refuses this door, so the one statement that writes user, audit and outbox fails whole.
    const badCtx = { ...ctx, door: "carrier-pigeon" as Door };
    await expect(t.services.users.create(badCtx, { profile: emptyProfile(uniqueName()) }, "admin")).rejects.toThrow();
    expect(await Promise.all(["users", "audit_events", "events", "outbox"].map(count))).toEqual(before);
  });

  it("does not lose an update made between its read and its write: it starts again from the new state", async () => {
    const user = await t.services.users.create(ctx, { profile: emptyProfile(uniqueName()) }, "admin");
    let calls = 0;
    const { user: after } = await t.services.users.update(ctx, user.id, async (current) => {
      calls++;
      if (calls === 1) {
        // Another writer changes the title after our read.
        await t.services.users.update(ctx, user.id, (c) => ({ profile: { ...c, title: "Set meanwhile" } }));
      }
      return { profile: { ...current, displayName: "Ours" } };
    });
    expect(calls).toBe(2);
    expect(after).toMatchObject({ title: "Set meanwhile", displayName: "Ours", version: 3 });
  });

  it("takes the row lock after repeated lost races, and still applies the change", async () => {
    const user = await t.services.users.create(ctx, { profile: emptyProfile(uniqueName()) }, "admin");
    let calls = 0;
    const { user: after } = await t.services.users.update(ctx, user.id, async (current) => {
      calls++;
      if (calls <= 3)
        await t.services.users.update(ctx, user.id, (c) => ({ profile: { ...c, nickName: `n${calls}` } }));
      return { profile: { ...current, displayName: "Finally" } };
    });
    expect(calls).toBe(4);
    expect(after).toMatchObject({ nickName: "n3", displayName: "Finally", version: 5 });
  });

  it("checks If-Match against the version it writes over, and answers NotFound for removed users", async () => {
    const user = await t.services.users.create(ctx, { profile: emptyProfile(uniqueName()) }, "admin");
    await expect(
      t.services.users.update(ctx, user.id, (c) => ({ profile: c }), { ifMatch: [7] }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    await t.services.users.remove(ctx, user.id);
    await expect(t.services.users.update(ctx, user.id, (c) => ({ profile: c }))).rejects.toBeInstanceOf(NotFoundError);
    await expect(t.services.users.get(user.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("records who, through which door, in which request, and what changed", async () => {
    const user = await t.services.users.create(
      ctx,
      { profile: { ...emptyProfile(uniqueName()), title: "A" } },
      "admin",
    );
    await t.services.users.update(ctx, user.id, (c) => ({ profile: { ...c, title: "B", active: false } }));
    const rows = await t.ds.query(
      "SELECT action, actor_name, door, request_id, changes FROM audit_events WHERE target_id = $1 ORDER BY id",
      [user.id],
    );
    expect(rows.map((r: { action: string }) => r.action)).toEqual(["user.created", "user.updated", "user.deactivated"]);
    expect(rows[1]).toMatchObject({
      actor_name: "test",
      door: "admin",
      request_id: "req-1",
      changes: { title: { before: "A", after: "B" } },
    });
    const events = await t.ds.query(
      "SELECT type, data, door, request_id FROM events WHERE subject_id = $1 ORDER BY seq",
      [user.id],
    );
    expect(events.map((e: { type: string }) => e.type)).toEqual(["user.created", "user.updated", "user.deactivated"]);
    expect(events[1]).toMatchObject({ data: { fields: ["title"] }, request_id: "req-1", door: "admin" });
    // Only the deactivation has a consumer (lifecycle's OnLeave): the one outbox job (decision 0156).
    const queued = await t.ds.query("SELECT topic, payload FROM outbox WHERE payload->>'userId' = $1 ORDER BY id", [
      user.id,
    ]);
    expect(queued.map((e: { topic: string }) => e.topic)).toEqual(["user.deactivated"]);
    expect(queued[0].payload).toMatchObject({ requestId: "req-1", door: "admin" });
  });
});
