import { type TestApp, startTestApp } from "../support/app";
import { memberIds, scimGroup } from "../support/group-fixtures";
import { report, runImport, upload } from "../support/imports";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ IMPORT_BATCH_SIZE: "50" });
});
afterAll(async () => {
  await t.close();
});

const userId = async (email: string) =>
  (await t.ds.query("SELECT id FROM users WHERE lower(emails->0->>'value') = lower($1)", [email]))[0]?.id;

describe("the groups column", () => {
  it("takes group display names (any case) and ids; an unknown name fails its row and makes no group", async () => {
    const d = `g${Date.now().toString(36)}.test`;
    const sales = await scimGroup(t, `Sales ${d}`);
    const north = await scimGroup(t, `North ${d}`);
    const groupsBefore = Number((await t.ds.query("SELECT count(*) FROM groups"))[0].count);
    const csv =
      `Email,Groups\n` +
      `ann@${d},sales ${d}\n` +
      `bob@${d},"SALES ${d}; ${north}"\n` +
      `cat@${d},Nobody ${d}\n` +
      `dan@${d},\n`;
    const res = await upload(t, csv, "groups.csv");
    const done = await runImport(t, res.body.id);
    expect(done.counts).toMatchObject({ total: 4, created: 3, failed: 1 });
    const rows = await report(t, res.body.id);
    expect(rows[3].slice(2)).toEqual(["failed", `groups: no group is named 'Nobody ${d}'`]);
    expect(await userId(`cat@${d}`)).toBeUndefined();
    const [ann, bob, dan] = await Promise.all([userId(`ann@${d}`), userId(`bob@${d}`), userId(`dan@${d}`)]);
    expect((await memberIds(t, sales)).sort()).toEqual([ann, bob].sort());
    expect(await memberIds(t, north)).toEqual([bob]);
    expect(dan).toBeDefined();
    expect(Number((await t.ds.query("SELECT count(*) FROM groups"))[0].count)).toBe(groupsBefore);
  });
});
