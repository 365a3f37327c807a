import { MemberPatchError, splitGroupPatch } from "../../src/http/scim/dialect/group";
import { compileFilter } from "../../src/http/scim/filter";
import { groupAttributes } from "../../src/http/scim/group-attributes";
import { userAttributes } from "../../src/http/scim/user-attributes";

const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const body = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });

describe("splitGroupPatch: member operations apart from the rest", () => {
  it("Okta: the path-less {id, displayName} rename is an attribute op without id; add and filtered remove are member ops", () => {
    const p = splitGroupPatch(
      body(
        { op: "replace", value: { id: "g1", displayName: "New" } },
        { op: "remove", path: 'members[value eq "u1"]' },
        { op: "add", path: "members", value: [{ value: "u2", display: "x" }] },
      ),
    );
    expect(p.attributeOps).toEqual([{ op: "replace", value: { displayName: "New" } }]);
    expect(p.memberOps).toEqual([
      { op: "remove", ids: ["u1"] },
      { op: "add", ids: ["u2"] },
    ]);
  });

  it("Entra: capitalised ops, $ref: null, remove with a value list, Operations spelled in any case", () => {
    const p = splitGroupPatch({
      schemas: [PATCH],
      operations: [
        { op: "Add", path: "members", value: [{ $ref: null, value: "u1" }] },
        { op: "Remove", path: "members", value: [{ $ref: null, value: "u2" }] },
        { op: "Replace", path: "displayName", value: "Renamed" },
      ],
    });
    expect(p.memberOps).toEqual([
      { op: "add", ids: ["u1"] },
      { op: "remove", ids: ["u2"] },
    ]);
    expect(p.attributeOps).toEqual([{ op: "replace", path: "displayName", value: "Renamed" }]);
    expect((p.message.Operations as { op: string; value: unknown }[])[0]).toEqual({
      op: "add",
      path: "members",
      value: [{ value: "u1" }],
    });
  });

  it("remove without value empties the group; replace is a full push, and replace with [] or null empties it", () => {
    expect(splitGroupPatch(body({ op: "remove", path: "members" })).memberOps).toEqual([{ op: "removeAll" }]);
    expect(splitGroupPatch(body({ op: "replace", path: "Members", value: [{ value: "a" }] })).memberOps).toEqual([
      { op: "replace", ids: ["a"] },
    ]);
    expect(splitGroupPatch(body({ op: "replace", path: "members", value: [] })).memberOps).toEqual([
      { op: "removeAll" },
    ]);
    expect(splitGroupPatch(body({ op: "replace", path: "members", value: null })).memberOps).toEqual([
      { op: "removeAll" },
    ]);
    expect(splitGroupPatch(body({ op: "replace", value: { members: [{ value: "b" }] } })).memberOps).toEqual([
      { op: "replace", ids: ["b"] },
    ]);
    expect(
      splitGroupPatch(
        body({ op: "add", path: "urn:ietf:params:scim:schemas:core:2.0:Group:members", value: { value: "c" } }),
      ).memberOps,
    ).toEqual([{ op: "add", ids: ["c"] }]);
  });

  it("a member given as the bare id string is that id", () => {
    expect(splitGroupPatch(body({ op: "add", path: "members", value: ["a", { value: "b" }] })).memberOps).toEqual([
      { op: "add", ids: ["a", "b"] },
    ]);
    expect(splitGroupPatch(body({ op: "add", path: "members", value: "c" })).memberOps).toEqual([
      { op: "add", ids: ["c"] },
    ]);
  });

  it("a filter of several value eq joined with or removes each of them", () => {
    expect(splitGroupPatch(body({ op: "remove", path: 'members[value eq "a" or value eq "b"]' })).memberOps).toEqual([
      { op: "remove", ids: ["a", "b"] },
    ]);
  });

  it.each([
    [{ op: "remove", path: 'members[display eq "a"]' }, "invalidFilter"],
    [{ op: "remove", path: "members[value eq ]" }, "invalidFilter"],
    [{ op: "add", path: 'members[value eq "a"]', value: [{ value: "a" }] }, "invalidPath"],
    [{ op: "replace", path: "members.display", value: "a" }, "invalidPath"],
    [{ op: "add", path: "members", value: [7] }, "invalidValue"],
    [{ op: "add", path: "members", value: [""] }, "invalidValue"],
    [{ op: "add", path: "members", value: [{ value: "g", type: "Group" }] }, "invalidValue"],
  ])("refuses %j with %s", (op, scimType) => {
    try {
      splitGroupPatch(body(op));
      throw new Error("accepted");
    } catch (e) {
      expect(e).toBeInstanceOf(MemberPatchError);
      expect((e as MemberPatchError).scimType).toBe(scimType);
    }
  });
});

describe("filters on memberships compile to EXISTS on group_members", () => {
  it("members.value eq with a uuid compares the uuid column natively (primary key), anything else as text", () => {
    const id = "0b4f3a4e-8c5e-4d2b-9f0e-2a1b3c4d5e6f";
    const c = compileFilter(`members.value eq "${id.toUpperCase()}"`, groupAttributes);
    expect(c.sql).toMatch(
      /^EXISTS \(SELECT 1 FROM group_members e1 JOIN users e1u ON e1u.id = e1.user_id WHERE e1.group_id = g.id AND e1u.removed_at IS NULL AND e1.user_id = \$1::uuid\)$/,
    );
    expect(c.params).toEqual([id]);
    expect(compileFilter('members.value eq "nope"', groupAttributes).sql).toContain("e1.user_id::text = $1");
  });

  it("groups.value and groups.display on users; not() is the complement", () => {
    const c = compileFilter('not (groups.display eq "Admins")', userAttributes);
    expect(c.sql).toBe(
      "NOT (EXISTS (SELECT 1 FROM group_members e1 JOIN groups e1g ON e1g.id = e1.group_id WHERE e1.user_id = u.id AND lower(e1g.display_name) = lower($1)))",
    );
    expect(compileFilter("groups pr", userAttributes).sql).toBe(
      "EXISTS (SELECT 1 FROM group_members e1 JOIN groups e1g ON e1g.id = e1.group_id WHERE e1.user_id = u.id)",
    );
  });
});
