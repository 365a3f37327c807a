import { csvField, csvRow } from "../../src/http/admin/csv";
import { prefixEnd } from "../../src/domain/audit-log/audit-log.repository";

describe("CSV fields (RFC 4180, formula injection)", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\r\nlf", '"cr\r\nlf"'],
    ["=SUM(A1:A9)", "'=SUM(A1:A9)"],
    ["+33 1 23", "'+33 1 23"],
    ["-2+3", "'-2+3"],
    ["@cmd", "'@cmd"],
    ["\tTAB", "'\tTAB"],
    ["\r=x", '"\'\r=x"'],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
    ["a=b", "a=b"],
    ["", ""],
  ])("%j -> %j", (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it("writes numbers as numbers (a negative one is not a formula), null as an empty field, and ends rows with CRLF", () => {
    expect(csvRow([1, -2, null, undefined, true, "x"])).toBe("1,-2,,,true,x\r\n");
  });
});

describe("action prefix ranges", () => {
  it("ends just above every string with the prefix", () => {
    expect(prefixEnd("user.")).toBe("user/");
    expect(prefixEnd("a")).toBe("b");
    expect("user.updated" >= "user." && "user.updated" < prefixEnd("user.")).toBe(true);
    expect("users.x" < prefixEnd("user.")).toBe(false);
  });
});
