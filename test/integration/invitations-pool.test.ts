import type { DataSource } from "typeorm";
import { createServices } from "../../src/composition";
import { systemActor } from "../../src/domain/context";
import { emptyProfile } from "../../src/domain/users/user";
import { createDataSource } from "../../src/db/data-source";
import { type TestApp, startTestApp } from "../support/app";
import { workerDatabaseUrl } from "../support/database";
import { seedPerson } from "../support/people";

/**
 * An invitation request reads the communication setting inside its transaction. Read on a second pool connection, a
 * burst of such transactions (a mass invite with its runners) can hold every connection while each waits for one more,
 * and they all fail after the connect timeout. With a pool of ONE connection the request shows it: it must still work.
 */
let t: TestApp;
let small: DataSource;
const EMAIL = "pool.one@corp.test";

beforeAll(async () => {
  t = await startTestApp();
  small = createDataSource(await workerDatabaseUrl(), 1, {
    connectMs: 1000,
    statementMs: 5000,
    lockMs: 3000,
    queryMs: 6000,
  });
  await small.initialize();
});
afterAll(async () => {
  await small.destroy();
  await t.close();
});

it("asks for an invitation on a pool of one connection (the setting is read on the transaction's own)", async () => {
  const person = await seedPerson(t.ds, { source: "admin" });
  // Fresh services: their settings cache is empty, so the request has to read the setting.
  const services = createServices(small, t.cfg);
  const view = await services.invitations.request(
    { actor: systemActor, door: "admin", requestId: "pool-of-one" },
    person.id,
  );
  expect(view.status).toBe("queued");
  const [row] = await t.ds.query("SELECT count(*)::int AS n FROM invitations WHERE user_id = $1", [person.id]);
  expect(row.n).toBe(1);
});

it("creates a person auto-invited by the setting inside the create's transaction, on the same pool of one", async () => {
  await t.admin
    .put("/settings/communication", { autoInvite: { scim: true, csv: false }, channels: { email: true, sms: false } })
    .expect(200);
  const services = createServices(small, t.cfg);
  const ctx = { actor: systemActor, door: "scim" as const, requestId: "pool-of-one-create" };
  const user = await small.transaction((manager) =>
    services.users.createIn(
      { ...ctx, manager },
      { profile: { ...emptyProfile(EMAIL), emails: [{ value: EMAIL, type: "work", primary: true }] } },
      "scim",
      null,
    ),
  );
  expect(user.lifecycle.invitedAt).not.toBeNull();
});
