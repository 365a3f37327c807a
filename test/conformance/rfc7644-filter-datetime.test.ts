/**
 * RFC 7644 §3.4.2.2 filters on meta.created / meta.lastModified (RFC 7643 §2.3.5 dateTime): a value read from a
 * resource round-trips exactly (incremental sync with `gt` its own lastModified), and .NET's seven-digit fractions parse.
 */
import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser, patchOp } from "../support/factories";
import { expectScimError, filterUrl, type Json } from "../support/scim-assertions";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const ids = async (filter: string) =>
  ((await t.scim.get(filterUrl(filter)).expect(200)).body.Resources as Json[]).map((r) => r.id);

describe("RFC 7644 §3.4.2.2: date-time comparisons", () => {
  it("RFC 7644 §3.4.2.2: gt a user's own meta.lastModified leaves it out; ge, le and eq include it; lt leaves it out", async () => {
    const created = (await t.scim.post("/Users", buildScimUser()).expect(201)).body as Json;
    // A PATCH gives a fresh updated_at with microseconds the representation does not show.
    const patched = (
      await t.scim.patch(
        `/Users/${created.id}?attributes=meta`,
        patchOp({ op: "replace", path: "displayName", value: "Sync" }),
      )
    ).body as Json;
    const user = (await t.scim.get(`/Users/${created.id}`).expect(200)).body as Json;
    const lm = user.meta.lastModified as string;
    expect(lm).toBe(patched.meta?.lastModified ?? lm);
    const scoped = (op: string) => `userName eq "${created.userName}" and meta.lastModified ${op} "${lm}"`;
    expect(await ids(scoped("gt"))).toEqual([]);
    expect(await ids(scoped("ge"))).toEqual([created.id]);
    expect(await ids(scoped("eq"))).toEqual([created.id]);
    expect(await ids(scoped("le"))).toEqual([created.id]);
    expect(await ids(scoped("lt"))).toEqual([]);
    expect(await ids(scoped("ne"))).toEqual([]);
    const created2 = `userName eq "${created.userName}" and meta.created gt "${user.meta.created}"`;
    expect(await ids(created2)).toEqual([]);
  });

  it("RFC 7643 §2.3.5: a date-time with seven fractional digits and an offset (what .NET sends) is accepted", async () => {
    const created = (await t.scim.post("/Users", buildScimUser()).expect(201)).body as Json;
    expect(
      await ids(`userName eq "${created.userName}" and meta.created gt "2015-10-10T14:38:21.8617979-07:00"`),
    ).toEqual([created.id]);
    const unquoted = await t.scim.get(
      `/Users?filter=${encodeURIComponent("meta.Created gt 2015-10-10T14:38:21.8617979-07:00")}`,
    );
    expect(unquoted.status).toBe(200);
    expect(unquoted.body.totalResults).toBeGreaterThanOrEqual(1);
    expect(
      await ids(`userName eq "${created.userName}" and meta.created lt "2015-10-10T14:38:21.8617979-07:00"`),
    ).toEqual([]);
  });

  it("RFC 7643 §2.3.5: a malformed date-time is still 400 invalidFilter", async () => {
    const res = await t.scim.get(filterUrl('meta.created gt "2015-13-10T14:38:21Z"'));
    expectScimError(res, 400);
    expect(res.body.scimType).toBe("invalidFilter");
  });
});
