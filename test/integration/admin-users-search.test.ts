import { startTestApp, type TestApp } from "../support/app";
import { seedEntity, seedPerson } from "../support/people";

let t: TestApp;
const ids: Record<string, string> = {};
let france: string, lyon: string, spain: string;
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

beforeAll(async () => {
  t = await startTestApp();
  france = await seedEntity(t.ds, "France");
  lyon = await seedEntity(t.ds, "Lyon", france);
  spain = await seedEntity(t.ds, "Spain");
  const people: [string, Parameters<typeof seedPerson>[1]][] = [
    [
      "elodie",
      {
        userName: "elodie.lefevre@corp.test",
        givenName: "Élodie",
        familyName: "Lefèvre",
        entityId: lyon,
        enrolledAt: ago(30),
        lastLoginAt: ago(1),
        createdAt: ago(10),
      },
    ],
    [
      "jean",
      {
        userName: "jean.dupont@corp.test",
        givenName: "Jean",
        familyName: "Dupont",
        entityId: france,
        enrolledAt: ago(30),
        createdAt: ago(9),
      },
    ],
    [
      "marie",
      {
        userName: "mdm@corp.test",
        givenName: "Marie",
        familyName: "DUPONT-Moreau",
        emails: ["marie.private@home.test", "mdm@corp.test"],
        entityId: spain,
        invitedAt: ago(2),
        createdAt: ago(8),
      },
    ],
    [
      "francois",
      {
        userName: "fmuller",
        givenName: "François",
        familyName: "Müller",
        source: "csv",
        external: true,
        invitedAt: ago(20),
        enrolledAt: ago(19),
        lastLoginAt: ago(3),
        createdAt: ago(7),
      },
    ],
    [
      "zoe",
      {
        userName: "zoe_z@corp.test",
        givenName: "Zoë",
        familyName: null,
        active: false,
        source: "admin",
        createdAt: ago(6),
      },
    ],
    [
      "percent",
      {
        userName: "100%sure@corp.test",
        givenName: "Per",
        familyName: "Cent",
        source: "jit",
        lastLoginAt: ago(5),
        enrolledAt: ago(6),
        createdAt: ago(5),
      },
    ],
  ];
  for (const [key, p] of people) ids[key] = (await seedPerson(t.ds, p)).id;
  // Removed by the IdP: never listed.
  const gone = await seedPerson(t.ds, { userName: "gone.dupont@corp.test", familyName: "Dupont" });
  await t.ds.query("UPDATE users SET removed_at = now(), active = false WHERE id = $1", [gone.id]);
});
afterAll(async () => t.close());

const names = (body: { items: { id: string }[] }) =>
  body.items.map((i) => Object.entries(ids).find(([, id]) => id === i.id)?.[0] ?? i.id);
const search = async (qs: string, client = t.admin) => (await client.get(`/users?${qs}`).expect(200)).body;

describe("GET /admin/v1/users: text search", () => {
  it("matches names, userName and emails ignoring case and accents, every word anywhere", async () => {
    expect(names(await search("q=lefevre"))).toEqual(["elodie"]);
    expect(names(await search(`q=${encodeURIComponent("LEFÈVRE")}`))).toEqual(["elodie"]);
    expect(names(await search(`q=${encodeURIComponent("élodie lefèvre")}`))).toEqual(["elodie"]);
    expect(names(await search("q=francois"))).toEqual(["francois"]);
    expect(names(await search("q=MULLER"))).toEqual(["francois"]);
    expect(names(await search("q=zoe"))).toEqual(["zoe"]);
    expect(names(await search("q=dupont&sort=userName")).sort()).toEqual(["jean", "marie"]);
    expect(names(await search("q=dupont%20jean"))).toEqual(["jean"]);
    expect(names(await search("q=jean%20%20dupont"))).toEqual(["jean"]);
    expect(names(await search("q=private%40home"))).toEqual(["marie"]);
    expect(names(await search("q=fmull"))).toEqual(["francois"]);
  });

  it("takes % and _ literally", async () => {
    expect(names(await search(`q=${encodeURIComponent("100%s")}`))).toEqual(["percent"]);
    expect(names(await search(`q=${encodeURIComponent("%")}`))).toEqual(["percent"]);
    expect(names(await search("q=zoe_z"))).toEqual(["zoe"]);
    expect(names(await search("q=e_l"))).toEqual([]);
  });

  it("answers summaries: names, primary email, status fields, entity, role", async () => {
    const body = await search("q=marie");
    expect(body).toEqual({ items: [expect.any(Object)], nextCursor: null, limit: 50 });
    expect(body.items[0]).toEqual({
      id: ids.marie,
      userName: "mdm@corp.test",
      givenName: "Marie",
      familyName: "DUPONT-Moreau",
      email: "marie.private@home.test",
      active: true,
      source: "scim",
      external: false,
      entityId: spain,
      role: "member",
      invitedAt: expect.any(String),
      enrolledAt: null,
      lastLoginAt: null,
      createdAt: expect.any(String),
    });
  });
});

describe("GET /admin/v1/users: filters", () => {
  it.each([
    ["status=active", ["elodie", "francois", "jean", "marie", "percent"]],
    ["status=deactivated", ["zoe"]],
    ["status=invited", ["marie"]],
    ["status=active,invited", ["marie"]],
    ["status=active,deactivated", []],
    ["enrolled=true", ["elodie", "francois", "jean", "percent"]],
    ["enrolled=false", ["marie", "zoe"]],
    ["connected=true", ["elodie", "francois", "percent"]],
    ["connected=false", ["jean", "marie", "zoe"]],
    ["external=true", ["francois"]],
    ["external=false", ["elodie", "jean", "marie", "percent", "zoe"]],
    ["source=csv", ["francois"]],
    ["source=admin,jit", ["percent", "zoe"]],
    ["source=scim&connected=true&status=active", ["elodie"]],
  ])("%s", async (qs, expected) => {
    expect(names(await search(`${qs}&sort=createdAt`)).sort()).toEqual(expected);
  });

  it("entity, with or without its sub-entities", async () => {
    expect(names(await search(`entity=${france}`))).toEqual(["jean"]);
    expect(names(await search(`entity=${france}&includeSubEntities=true&sort=createdAt`))).toEqual(["elodie", "jean"]);
    expect(names(await search(`entity=${lyon},${spain}&sort=createdAt`))).toEqual(["elodie", "marie"]);
    expect(names(await search("entity=00000000-0000-4000-8000-000000000000"))).toEqual([]);
  });

  it("never lists users removed by the IdP", async () => {
    expect((await search("q=gone")).items).toEqual([]);
  });
});

describe("GET /admin/v1/users: entity scope", () => {
  it("shows a scoped admin only users of their entities and sub-entities, never users without an entity", async () => {
    const admin = await seedPerson(t.ds, {
      role: "admin",
      adminScope: [france],
      entityId: france,
      userName: "scoped.admin@corp.test",
    });
    const client = t.adminAs(await t.token("admin", admin.userName));
    expect(names(await search("sort=createdAt", client))).toEqual(["elodie", "jean", admin.id]);
    expect(names(await search(`entity=${spain}`, client))).toEqual([]);
    expect(names(await search("q=dupont", client))).toEqual(["jean"]);
    await t.ds.query("DELETE FROM users WHERE id = $1", [admin.id]);
  });

  it("lets an auditor search", async () => {
    expect(names(await search("q=lefevre", t.adminAs(await t.token("auditor"))))).toEqual(["elodie"]);
  });
});

describe("GET /admin/v1/users: bad input is a 400 naming the parameter", () => {
  it.each([
    ["status=sleeping", "status[0]"],
    ["enrolled=yes", "enrolled"],
    ["source=ldap", "source[0]"],
    ["entity=abc", "entity[0]"],
    ["sort=age", "sort"],
    ["sort=-id", "sort"],
    ["limit=0", "limit"],
    ["limit=ten", "limit"],
    ["colour=blue", "colour"],
    [`q=${"x".repeat(201)}`, "q"],
    ["q=a%20b%20c%20d%20e%20f%20g%20h%20i", "q"],
    ["cursor=not-a-cursor", "cursor"],
  ])("%s", async (qs, field) => {
    const res = await t.admin.get(`/users?${qs}`).expect(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body.field).toBe(field);
  });

  it("caps limit instead of refusing it", async () => {
    expect((await search("limit=5000")).limit).toBe(200);
  });
});

describe("GET /admin/v1/users: group (space) filter", () => {
  it("selects direct members of any of the groups given, with the other criteria", async () => {
    const group = async (name: string, members: string[]) => {
      const res = await t.scim
        .post("/Groups", {
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
          displayName: name,
          members: members.map((value) => ({ value })),
        })
        .expect(201);
      return res.body.id as string;
    };
    const pilots = await group("Pilots", [ids.jean, ids.marie]);
    const crew = await group("Crew", [ids.francois]);
    await group("Empty", []);
    expect(names(await search(`group=${pilots}`)).sort()).toEqual(["jean", "marie"]);
    expect(names(await search(`group=${pilots},${crew}`)).sort()).toEqual(["francois", "jean", "marie"]);
    expect(names(await search(`group=${pilots}&q=marie`))).toEqual(["marie"]);
    expect(names(await search(`group=${crew}&external=false`))).toEqual([]);
    const bad = await t.admin.get("/users?group=not-a-uuid").expect(400);
    expect(bad.body).toMatchObject({ code: "invalid_request", field: expect.stringContaining("group") });
  });
});
