// Collection progress without a terminal: periodic plain lines per facet (count, rate, ETA), and a line per finished facet.
import { describe, expect, it } from "vitest";
import { createCollectProgress, formatDuration, progressText } from "../../../src/cli/progress.js";

function harness(options: { everyMs?: number; everyPages?: number; quiet?: boolean } = {}) {
  const lines: string[] = [];
  let now = 0;
  const progress = createCollectProgress({
    quiet: options.quiet ?? false,
    stream: { isTTY: false, write: (text: string) => lines.push(...text.split("\n").filter(Boolean)) },
    now: () => now,
    everyMs: options.everyMs ?? 10_000,
    everyPages: options.everyPages ?? 50,
  });
  return { progress, lines, advance: (ms: number) => (now += ms) };
}

describe("collect progress (not a terminal)", () => {
  it("prints a facet's count and rate every N seconds, then its usual line when it finishes", () => {
    const { progress, lines, advance } = harness();
    progress.onPage("target.users", { fetched: 999, written: 10, pages: 1 });
    advance(4_000);
    progress.onPage("target.users", { fetched: 1998, written: 20, pages: 2 });
    expect(lines).toEqual([]);
    advance(6_000);
    progress.onPage("target.users", { fetched: 2997, written: 30, pages: 3 });
    advance(1_000);
    progress.onPage("target.users", { fetched: 3996, written: 40, pages: 4 });
    progress.onFacet("target.users", { status: "ok", file: "target/users.ndjson", count: 40, permission: "User.Read.All" });
    expect(lines).toEqual(["  ...      target.users 2,997 items, 200/s", "  ok       target.users (40)"]);
  });

  it("also prints every N pages, per facet, with an ETA when Graph gave a total", () => {
    const { progress, lines, advance } = harness({ everyPages: 2 });
    progress.onPage("source.provisioningLogs", { fetched: 500, written: 500, pages: 1, total: 2000 });
    progress.onPage("source.users", { fetched: 999, written: 999, pages: 1 });
    advance(5_000);
    progress.onPage("source.provisioningLogs", { fetched: 1000, written: 1000, pages: 2, total: 2000 });
    advance(5_000);
    progress.onPage("source.provisioningLogs", { fetched: 1500, written: 1500, pages: 3, total: 2000 });
    progress.onPage("source.users", { fetched: 1998, written: 1998, pages: 2 }); // 10 s since its first page
    expect(lines).toEqual(["  ...      source.provisioningLogs 1,500 of 2,000 items, 100/s, ETA 5s", "  ...      source.users 1,998 items, 100/s"]);
  });

  it("keeps the one line per finished facet for facets without pages, and is silent with --quiet", () => {
    const { progress, lines } = harness();
    progress.onFacet("source.partner", {
      status: "denied",
      permission: "Policy.Read.All",
      error: { code: "Authorization_RequestDenied", message: "Insufficient privileges" },
    });
    progress.log("  source: HTTP 429, retry 1 in 2 s");
    expect(lines).toEqual(["  denied   source.partner Authorization_RequestDenied: Insufficient privileges", "  source: HTTP 429, retry 1 in 2 s"]);
    const quiet = harness({ quiet: true });
    quiet.progress.onPage("target.users", { fetched: 1, written: 1, pages: 100 });
    quiet.progress.onFacet("target.users", { status: "ok", file: "target/users.ndjson", count: 1, permission: "User.Read.All" });
    expect(quiet.lines).toEqual([]);
  });

  it("formats durations and counts compactly", () => {
    expect(formatDuration(45)).toBe("45s");
    expect(formatDuration(125)).toBe("2m05s");
    expect(formatDuration(3 * 3600 + 60)).toBe("3h01m");
    expect(progressText({ fetched: 12_345, pages: 3 })).toBe("12,345 items");
  });
});
