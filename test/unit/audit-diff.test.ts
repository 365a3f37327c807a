import { diffFields } from "../../src/domain/audit";

// diffFields compares values as canonical JSON (key order and empty lists do not count); it skips serialising where
// that cannot change the answer. These pin the answers that shortcut must keep.
describe("diffFields", () => {
  it("records every field a creation sets, and nothing for empty ones", () => {
    expect(diffFields({}, { a: "x", b: null, c: [], d: false, e: 0, f: [{ v: 1 }], g: undefined })).toEqual({
      a: { before: null, after: "x" },
      d: { before: null, after: false },
      e: { before: null, after: 0 },
      f: { before: null, after: [{ v: 1 }] },
    });
  });

  it("ignores key order and treats an empty list as nothing", () => {
    expect(diffFields({ a: { x: 1, y: [2] }, b: [] }, { a: { y: [2], x: 1 }, b: null })).toEqual({});
  });

  it("tells apart values that differ only in type or in depth", () => {
    expect(diffFields({ a: "1", b: true, c: { x: 1 }, d: [1] }, { a: 1, b: "true", c: { x: 2 }, d: [1, 2] })).toEqual({
      a: { before: "1", after: 1 },
      b: { before: true, after: "true" },
      c: { before: { x: 1 }, after: { x: 2 } },
      d: { before: [1], after: [1, 2] },
    });
  });

  it("compares numbers as JSON prints them (NaN is null there)", () => {
    expect(diffFields({ a: Number.NaN, b: 0 }, { a: null, b: -0 })).toEqual({});
    expect(diffFields({ a: 1 }, { a: 2 })).toEqual({ a: { before: 1, after: 2 } });
  });
});
