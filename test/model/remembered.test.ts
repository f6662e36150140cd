// remembered(): the same value per key, made once, and no more than `limit` keys kept.
import { describe, expect, it } from "vitest";
import { remembered } from "../../src/model/remembered.js";

describe("remembered", () => {
  it("makes a key's value once and returns the same value after", () => {
    let made = 0;
    const entry = remembered((key) => ({ key, n: ++made }));
    const first = entry("a");
    expect(entry("a")).toBe(first);
    expect(entry("b")).toEqual({ key: "b", n: 2 });
    expect(made).toBe(2);
  });

  it("beyond the limit, new keys are made each time and the kept ones stay", () => {
    let made = 0;
    const entry = remembered((key) => ({ key, n: ++made }), 2);
    const a = entry("a");
    entry("b");
    expect(entry("c")).not.toBe(entry("c"));
    expect(entry("a")).toBe(a);
    expect(made).toBe(4);
  });
});
