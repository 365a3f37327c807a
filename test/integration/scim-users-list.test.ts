import { startTestApp, type TestApp } from "../support/app";
import { buildScimUser, ENTERPRISE, USER_SCHEMA } from "../support/factories";

let t: TestApp;
const ids: string[] = [];
const q = (filter: string, extra = "") => `/Users?filter=${encodeURIComponent(filter)}${extra}`;
const names = (body: { Resources: { userName: string }[] }) => body.Resources.map((r) => r.userName).sort();

beforeAll(async () => {
  t = await startTestApp();
  const people = [
    {
      userName: "alice@corp.test",
      title: "Engineer",
      active: true,
      emails: [
        { value: "alice@corp.test", type: "work", primary: true },
        { value: "al@home.test", type: "home" },
      ],
      dept: "Eng",
    },
    {
      userName: "Bob@corp.test",
      title: "Manager",
      active: false,
      emails: [{ value: "bob@corp.test", type: "work" }],
      dept: "Sales",
    },
    {
      userName: "carol@other.test",
      title: null,
      active: true,
      emails: [{ value: "carol@other.test", type: "home" }],
      dept: "Eng",
    },
    { userName: "dave_50%@corp.test", title: "Engineer", active: true, emails: [], dept: null },
  ];
  for (const p of people) {
    const body = buildScimUser({
      userName: p.userName,
      active: p.active,
      emails: p.emails,
      schemas: [USER_SCHEMA, ENTERPRISE],
      ...(p.title ? { title: p.title } : {}),
      ...(p.dept ? { [ENTERPRISE]: { department: p.dept } } : {}),
    });
    if (!p.emails.length) delete body.emails;
    ids.push((await t.scim.post("/Users", body).expect(201)).body.id);
  }
});
afterAll(async () => t.close());

describe("SCIM /Users list: filters compiled to SQL", () => {
  it.each([
    ['userName eq "BOB@CORP.TEST"', ["Bob@corp.test"]],
    ['userName sw "a" or userName ew "other.test"', ["alice@corp.test", "carol@other.test"]],
    ['userName co "50%"', ["dave_50%@corp.test"]],
    ['title ne "Engineer"', ["Bob@corp.test", "carol@other.test"]],
    ["title pr and active eq true", ["alice@corp.test", "dave_50%@corp.test"]],
    ["active eq false", ["Bob@corp.test"]],
    ['emails[type eq "work"].value eq "bob@corp.test"', ["Bob@corp.test"]],
    ['emails[type eq "home" and value ew "home.test"]', ["alice@corp.test"]],
    ['emails.value co "other"', ["carol@other.test"]],
    [`${ENTERPRISE}:department eq "eng"`, ["alice@corp.test", "carol@other.test"]],
    ['not (title eq "Engineer" or active eq false)', ["carol@other.test"]],
    ['(title eq "Engineer" and (userName sw "d" or userName sw "a"))', ["alice@corp.test", "dave_50%@corp.test"]],
    ['meta.created gt "2000-01-01T00:00:00Z" and UserName Sw "C"', ["carol@other.test"]],
  ])("%s", async (filter, expected) => {
    const res = await t.scim.get(q(filter)).expect(200);
    expect(names(res.body)).toEqual(expected);
    expect(res.body.totalResults).toBe(expected.length);
  });

  it("answers a lookup with no match with an empty ListResponse", async () => {
    const res = await t.scim.get(q('userName eq "nobody@corp.test"', "&startIndex=1&count=100")).expect(200);
    expect(res.body).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it("pages with numeric startIndex/count in a stable order, and caps count", async () => {
    const all = (await t.scim.get("/Users?count=1000").expect(200)).body;
    expect(all.itemsPerPage).toBe(4);
    const seen: string[] = [];
    for (let start = 1; start <= 4; start += 2) {
      const page = (await t.scim.get(`/Users?startIndex=${start}&count=2`).expect(200)).body;
      expect(page).toMatchObject({ totalResults: 4, startIndex: start, itemsPerPage: 2 });
      seen.push(...page.Resources.map((r: { id: string }) => r.id));
    }
    expect(seen).toEqual(all.Resources.map((r: { id: string }) => r.id));
    const beyond = (await t.scim.get("/Users?startIndex=10&count=2").expect(200)).body;
    expect(beyond).toMatchObject({ totalResults: 4, itemsPerPage: 0, Resources: [] });
    const countOnly = (await t.scim.get("/Users?count=0").expect(200)).body;
    expect(countOnly).toMatchObject({ totalResults: 4, itemsPerPage: 0 });
  });

  it("sorts by an attribute, both ways", async () => {
    const asc = (await t.scim.get("/Users?sortBy=userName&sortOrder=ascending").expect(200)).body.Resources.map(
      (r: { userName: string }) => r.userName,
    );
    expect(asc).toEqual(["alice@corp.test", "Bob@corp.test", "carol@other.test", "dave_50%@corp.test"]);
    const desc = (await t.scim.get("/Users?sortBy=userName&sortOrder=descending").expect(200)).body.Resources.map(
      (r: { userName: string }) => r.userName,
    );
    expect(desc).toEqual([...asc].reverse());
  });

  it("returns only the requested attributes, or all but the excluded ones", async () => {
    const only = (await t.scim.get(q('userName eq "alice@corp.test"', "&attributes=userName,emails.value")).expect(200))
      .body.Resources[0];
    expect(Object.keys(only).sort()).toEqual(["emails", "id", "schemas", "userName"]);
    expect(only.emails).toEqual([{ value: "alice@corp.test" }, { value: "al@home.test" }]);
    const without = (
      await t.scim.get(`/Users/${ids[0]}?excludedAttributes=emails,${ENTERPRISE}:department`).expect(200)
    ).body;
    expect(without.emails).toBeUndefined();
    expect(without.userName).toBe("alice@corp.test");
    expect(without[ENTERPRISE]?.department).toBeUndefined();
  });

  it("searches with POST /Users/.search and the root /.search", async () => {
    const body = {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
      filter: 'title eq "engineer"',
      startIndex: 1,
      count: 10,
      attributes: ["userName"],
    };
    for (const path of ["/Users/.search", "/.search"]) {
      const res = await t.scim.post(path, body).expect(200);
      expect(names(res.body)).toEqual(["alice@corp.test", "dave_50%@corp.test"]);
    }
  });
});
