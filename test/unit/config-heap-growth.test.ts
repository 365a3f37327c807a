import { ConfigError, parseConfig } from "../../src/config/env";

describe("the server heap's growth share in the configuration (decision 0151)", () => {
  it("grows the heap 20% past its live size by default, and 0 leaves V8's own choice", () => {
    expect(parseConfig({}).HEAP_GROWING_PERCENT).toBe(20);
    expect(parseConfig({ HEAP_GROWING_PERCENT: "0" }).HEAP_GROWING_PERCENT).toBe(0);
    expect(parseConfig({ HEAP_GROWING_PERCENT: "50" }).HEAP_GROWING_PERCENT).toBe(50);
  });

  it("refuses a negative share or a word, naming the variable", () => {
    expect(() => parseConfig({ HEAP_GROWING_PERCENT: "-5" })).toThrow(ConfigError);
    expect(() => parseConfig({ HEAP_GROWING_PERCENT: "lots" })).toThrow(/HEAP_GROWING_PERCENT/);
  });
});
