import { compileFilter } from "../../src/http/scim/filter";
import { userAttributes } from "../../src/http/scim/user-attributes";
import { startTestApp, type TestApp } from "../support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.ds.query(`INSERT INTO users (user_name, source, emails)
    SELECT 'person' || g || '@corp.test', 'scim', jsonb_build_array(jsonb_build_object('value', 'Person' || g || '@Corp.test', 'type', 'work'))
    FROM generate_series(1, 5000) g`);
  await t.ds.query("VACUUM ANALYZE users");
});
afterAll(async () => t.close());

/** The plan PostgreSQL picks for a SCIM filter, as the list query runs it. */
async function plan(filter: string): Promise<string> {
  const { sql, params } = compileFilter(filter, userAttributes);
  const rows = await t.ds.query(`EXPLAIN SELECT u.id FROM users u WHERE u.removed_at IS NULL AND (${sql})`, params);
  return rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n");
}

describe("query plans of the IdPs' matching filters (5,000 users)", () => {
  it("userName eq uses an index on lower(user_name) (the unique one, or the search's covering one: both probe)", async () => {
    expect(await plan('userName eq "PERSON42@corp.test"')).toMatch(
      /Index (Only )?Scan using (users_user_name_lower_key|users_search_user_name_cover_idx)[^\n]*\n\s*Index Cond: \(\(lower\(user_name\)\) = /,
    );
  });

  it('emails[type eq "work"].value eq uses the GIN index over lower-cased email values', async () => {
    expect(await plan('emails[type eq "work"].value eq "person42@corp.test"')).toMatch(/users_email_values_idx/);
    expect(await plan('emails.value eq "person42@corp.test"')).toMatch(/users_email_values_idx/);
  });

  it("finds the same rows with and without the index hint", async () => {
    const res = await t.scim
      .get(`/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "PERSON42@corp.TEST"')}`)
      .expect(200);
    expect(res.body.totalResults).toBe(1);
    expect(res.body.Resources[0].userName).toBe("person42@corp.test");
    const negated = await t.scim
      .get(`/Users?filter=${encodeURIComponent('not (emails.value eq "person42@corp.test")')}&count=0`)
      .expect(200);
    expect(negated.body.totalResults).toBe(4999);
  });
});
