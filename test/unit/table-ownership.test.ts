import { readFileSync } from "node:fs";
import { join } from "node:path";
import { OWNERS, tsFiles, treeViolations, violations } from "../support/table-ownership";

const TABLES = ["users", "groups", "group_members"];

describe("the table ownership checker", () => {
  it("finds SQL naming a table outside its owner, with file, line and table", () => {
    const source =
      "const a = 1;\nconst q = `SELECT u.id\n  FROM users u JOIN group_members gm ON gm.user_id = u.id\n`;\n";
    expect(violations("src/domain/invitations/x.ts", source, TABLES)).toEqual([
      {
        file: "src/domain/invitations/x.ts",
        line: 3,
        table: "users",
        text: "FROM users u JOIN group_members gm ON gm.user_id = u.id",
      },
      {
        file: "src/domain/invitations/x.ts",
        line: 3,
        table: "group_members",
        text: "FROM users u JOIN group_members gm ON gm.user_id = u.id",
      },
    ]);
  });

  it("accepts the owner's own SQL, and words that are not SQL", () => {
    expect(violations("src/domain/users/users.repository.ts", "UPDATE users SET x = 1", TABLES)).toEqual([]);
    expect(violations("src/domain/groups/x.ts", "DELETE FROM group_members WHERE group_id = $1", TABLES)).toEqual([]);
    expect(
      violations("src/domain/access/x.ts", '// a removed user is taken from groups; import from "../users"', TABLES),
    ).toEqual([]);
    expect(violations("src/domain/users-extra/x.ts", "INSERT INTO users (id) VALUES ($1)", TABLES)).toHaveLength(1);
  });

  it("catches every keyword that names a table, and filter relations", () => {
    for (const sql of [
      "INSERT INTO users",
      "UPDATE users SET",
      "DELETE FROM users",
      "TRUNCATE TABLE users",
      "DELETE FROM x USING users",
      'JOIN "users" u',
    ]) {
      expect(violations("src/http/x.ts", sql, TABLES).map((v) => v.table)).toEqual(["users"]);
    }
    expect(
      violations("src/http/scim/x.ts", `{ kind: "relation", from: "group_members {a}" }`, TABLES).map((v) => v.table),
    ).toEqual(["group_members"]);
  });
});

describe("every table has one owner in src/domain", () => {
  const { tables, violations: found } = treeViolations(join(__dirname, "../.."));

  it("each table the migrations create has an owning module", () => {
    expect(tables.filter((t) => OWNERS[t] === undefined)).toEqual([]);
    expect(tables.length).toBeGreaterThanOrEqual(13);
  });

  it("no SQL names a table outside its owner", () => {
    expect(found.map((v) => `${v.file}:${v.line} names ${v.table}: ${v.text}`)).toEqual([]);
  });

  it("TypeORM is the DataSource and migrations only: no entity classes map a table", () => {
    const root = join(__dirname, "../..");
    expect(tsFiles(root, "src").filter((f) => /@Entity\(/.test(readFileSync(join(root, f), "utf8")))).toEqual([]);
  });
});
