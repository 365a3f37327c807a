import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser, patchOp } from "../support/factories";

let t: TestApp;
let userId: string;
beforeAll(async () => {
  t = await startTestApp();
  userId = (await t.scim.post("/Users", buildScimUser()).expect(201)).body.id;
});
afterAll(async () => t.close());

/** Deterministic pseudo-random generator (mulberry32), so a failure replays exactly. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const FILTER_PARTS = [
  "userName",
  "emails",
  "[",
  "]",
  "(",
  ")",
  "not",
  "and",
  "or",
  "eq",
  "co",
  "pr",
  "gt",
  '"x"',
  '"a\\"b"',
  "\\",
  "'",
  "true",
  "null",
  "1e999",
  "meta.created",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
  ".value",
  "type",
  "%",
  "_",
  "\u0000",
  "é",
  "  ",
];
const VALUES: unknown[] = [
  null,
  true,
  "False",
  0,
  -1,
  1e308,
  "",
  "x".repeat(300),
  [],
  [null],
  {},
  { value: null },
  [{ value: 1 }],
  { $ref: null },
  "\u0000",
];
const ATTRS = [
  "userName",
  "active",
  "emails",
  "name",
  "name.givenName",
  "phoneNumbers",
  "roles",
  "meta",
  "id",
  "schemas",
  "password",
  "groups",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
  "x509Certificates",
];

describe("garbage input never yields a 500 (fixed-seed generated requests)", () => {
  it("filters", async () => {
    const r = rng(7);
    for (let i = 0; i < 150; i++) {
      const filter = Array.from(
        { length: 1 + Math.floor(r() * 8) },
        () => FILTER_PARTS[Math.floor(r() * FILTER_PARTS.length)],
      ).join(" ");
      const res = await t.scim.get(
        `/Users?filter=${encodeURIComponent(filter)}&sortBy=${encodeURIComponent(ATTRS[i % ATTRS.length])}`,
      );
      expect([200, 400]).toContain(res.status);
      if (res.status === 400) expect(res.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
    }
  });

  it("POST bodies and PATCH operations", async () => {
    const r = rng(11);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    for (let i = 0; i < 150; i++) {
      const body: Record<string, unknown> = buildScimUser();
      for (let k = 0; k < 3; k++) body[pick(ATTRS)] = pick(VALUES);
      const created = await t.scim.post("/Users", body);
      expect([201, 400, 409]).toContain(created.status);
      const op = {
        op: pick(["add", "Replace", "remove", "REMOVE", "copy"]),
        path: r() < 0.2 ? undefined : pick(ATTRS),
        value: pick(VALUES),
      };
      const patched = await t.scim.patch(`/Users/${userId}`, patchOp(op));
      expect([200, 400]).toContain(patched.status);
    }
    // The user the PATCHes hit is still whole and readable.
    const after = await t.scim.get(`/Users/${userId}`).expect(200);
    expect(typeof after.body.userName).toBe("string");
  });
});
