// --until: the window end a snapshot is judged at; a bad or future value is a usage error, and --since counts back from it.
import { describe, expect, it } from "vitest";
import { parseSince, parseUntil } from "../../src/app/options.js";

describe("--until", () => {
  const now = new Date("2026-01-01T00:00:00Z");

  it("is optional, and an ISO date-time in the past", () => {
    expect(parseUntil(undefined, now)).toEqual(now);
    expect(parseUntil("2025-03-04T11:00:00Z", now).toISOString()).toBe("2025-03-04T11:00:00.000Z");
  });

  it("refuses a value that is not a date-time, or in the future, with a usage error", () => {
    expect(() => parseUntil("yesterday", now)).toThrow(/--until: "yesterday" is not an ISO date-time/);
    expect(() => parseUntil("2027-01-01T00:00:00Z", now)).toThrow(/in the future/);
  });

  it("is what a relative --since counts back from", () => {
    expect(parseSince("24h", parseUntil("2025-03-04T11:00:00Z", now)).toISOString()).toBe("2025-03-03T11:00:00.000Z");
  });
});
