import { NOT_A_CURSOR, cursorText, encodeCursor, encodeJsonCursor, jsonCursor } from "../../src/domain/cursor";
import { SECRET_SHAPE, newApiToken, newSecret } from "../../src/domain/secrets";
import { bearerTokenOf } from "../../src/http/shared/bearer";

describe("the cursor codec every keyset list shares", () => {
  it("round-trips text and JSON", () => {
    expect(cursorText(encodeCursor("v1.desc.42"))).toBe("v1.desc.42");
    expect(jsonCursor(encodeJsonCursor({ k: "Lovelace", i: "x" }))).toEqual({ k: "Lovelace", i: "x" });
    expect(encodeCursor("v1.desc.42")).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("decodes nothing from what it did not encode", () => {
    expect(cursorText("not a cursor!")).toBeNull();
    expect(cursorText(Buffer.from([0xff, 0xfe]).toString("base64url"))).toBeNull();
    expect(cursorText(encodeCursor("a\u0000b"))).toBeNull();
    expect(jsonCursor(encodeCursor("{truncated"))).toBeNull();
    expect(NOT_A_CURSOR).toBe("is not a cursor this API returned");
  });
});

describe("secrets and bearer tokens", () => {
  it("makes 256-bit url-safe secrets of one shape, bearer tokens with their prefix", () => {
    const a = newSecret();
    expect(a).toMatch(SECRET_SHAPE);
    expect(newSecret()).not.toBe(a);
    expect(newApiToken()).toMatch(/^rst_[A-Za-z0-9_-]{43}$/);
  });

  it("reads the bearer credential of an Authorization header, scheme in any case", () => {
    expect(bearerTokenOf("Bearer abc")).toBe("abc");
    expect(bearerTokenOf("bearer   abc  ")).toBe("abc");
    expect(bearerTokenOf("Basic abc")).toBeNull();
    expect(bearerTokenOf("Bearer a b")).toBeNull();
    expect(bearerTokenOf(undefined)).toBeNull();
  });
});
