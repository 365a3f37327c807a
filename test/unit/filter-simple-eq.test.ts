import { compileFilter } from "../../src/http/scim/filter";
import { compileTree } from "../../src/http/scim/filter/compile";
import { simpleEquality } from "../../src/http/scim/filter/simple-eq";
import { groupAttributes } from "../../src/http/scim/group-attributes";
import { userAttributes } from "../../src/http/scim/user-attributes";

// Decision 0133: `attr eq "value"` is compiled without scimmy's lexer; it must give exactly the general compiler's SQL
// and parameters, and leave every other form (and every error) to it.
describe("simpleEquality: the lookup filter without scimmy", () => {
  it.each([
    'userName eq "bjensen@example.com"',
    'UserName eq "BJensen"',
    'username eq "Ann Lee"',
    'userName eq ""',
    'userName eq "a and b or not (c)"',
    'userName eq "[x] {y} pr"',
    'userName eq "2015-10-10T14:38:21.8617979-07:00"',
    'userName eq "true"',
    'userName eq "12"',
    'userName eq "null"',
    'userName eq "é ü 漢字"',
    'externalId eq "ext-42"',
    'displayName eq "Ann"',
    'title eq "Boss"',
    'id eq "2819c223-7f76-453a-919d-413861904646"',
    'id eq "2819C223-7F76-453A-919D-413861904646"',
    'id eq "not-a-uuid"',
  ])("users: %s is the general compiler's", (filter) => {
    const fast = simpleEquality(filter, userAttributes, 0);
    expect(fast).toBeDefined();
    expect(fast).toEqual(compileTree(filter, userAttributes));
    expect(compileFilter(filter, userAttributes)).toEqual(fast);
  });

  it.each(['displayName eq "Sales"', 'externalId eq "g-1"', 'id eq "2819c223-7f76-453a-919d-413861904646"'])(
    "groups: %s is the general compiler's",
    (filter) => {
      expect(simpleEquality(filter, groupAttributes, 0)).toEqual(compileTree(filter, groupAttributes));
    },
  );

  it("numbers its parameter after paramOffset, as the general compiler does", () => {
    const filter = 'userName eq "x"';
    expect(simpleEquality(filter, userAttributes, 3)).toEqual(compileTree(filter, userAttributes, { paramOffset: 3 }));
  });

  it.each([
    'userName eq "a\\"b"',
    'userName eq "a\\\\b"',
    'userName eq "\\u00e9"',
    'userName  eq "x"',
    ' userName eq "x"',
    'userName eq "x" ',
    'userName EQ "x"',
    'userName ne "x"',
    "userName eq x",
    "userName eq null",
    'active eq "true"',
    'meta.lastModified eq "2015-10-10T14:38:21Z"',
    'emails eq "x@example.com"',
    'emails.value eq "x@example.com"',
    'name.givenName eq "Ann"',
    'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"',
    'nosuch eq "x"',
    'constructor eq "x"',
    'userName eq "x" and title eq "y"',
    'userName eq "x"y"',
  ])("leaves %s to the general compiler", (filter) => {
    expect(simpleEquality(filter, userAttributes, 0)).toBeUndefined();
  });
});
