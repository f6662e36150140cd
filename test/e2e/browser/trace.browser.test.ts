// The trace-user HTML in headless Chromium at phone width: verdict on the first screen, no overflow, no request, axe-clean.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type Browser } from "../../../bench/chromium.js";
import { PROVISIONING_CODE_BOOK, ruleBook } from "../../../src/cli/trace-user.js";
import { tenantNames } from "../../../src/app/analyze.js";
import { traceFromFacts } from "../../../src/trace/chain.js";
import { traceHtml } from "../../../src/trace/render.js";
import { snapshotFacts } from "../../../src/trace/snapshot.js";
import { pairFrom } from "../../helpers/pair.js";

const require = createRequire(import.meta.url);
const ARTIFACTS = path.resolve("test-artifacts");
// Unset when Chromium could not be launched: afterAll then has nothing to close.
let browser: Browser | undefined;
let dir: string;
let url: string;

beforeAll(async () => {
  const pair = await pairFrom("contoso-fabrikam");
  const names = tenantNames(pair);
  const result = traceFromFacts(snapshotFacts(pair, "adele@contoso.com"), ruleBook(), { codes: PROVISIONING_CODE_BOOK });
  const html = traceHtml(result, {
    source: { tenantId: pair.source.tenantId, ...names.source },
    target: { tenantId: pair.target.tenantId, ...names.target },
    generatedAt: "2025-03-04T12:00:00.000Z",
    tool: "cts-doctor 0.1.0",
  });
  dir = await mkdtemp(path.join(tmpdir(), "cts-trace-"));
  await writeFile(path.join(dir, "trace.html"), html);
  url = pathToFileURL(path.join(dir, "trace.html")).href;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("trace-user HTML in Chromium", () => {
  it.for([
    { name: "desktop", width: 1280, height: 800 },
    { name: "mobile", width: 390, height: 844 },
  ])("at $name size: verdict above the fold, no overflow, no request, axe-clean", async ({ name, width, height }) => {
    const p = await browser!.context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    p.on("request", (r) => requests.push(r.url()));
    p.on("console", (m) => (m.type() === "error" ? errors.push(m.text()) : undefined));
    await p.setViewportSize({ width, height });
    await p.goto(url, { waitUntil: "load" });
    expect(await p.locator(".verdict .s").textContent()).toBe("blocked");
    expect((await p.locator(".verdict").boundingBox())!.y).toBeLessThan(height);
    expect(await p.locator("dl.pair").textContent()).toContain("Fabrikam");
    expect(await p.evaluate("document.documentElement.scrollWidth <= innerWidth")).toBe(true);
    await mkdir(ARTIFACTS, { recursive: true });
    await p.screenshot({ path: path.join(ARTIFACTS, `trace-${name}-first-screen.png`) });
    await p.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })");
    expect(await p.evaluate("document.documentElement.scrollWidth <= innerWidth")).toBe(true);
    await mkdir(ARTIFACTS, { recursive: true });
    await p.screenshot({ path: path.join(ARTIFACTS, `trace-${name}.png`), fullPage: true });
    await p.evaluate(await readFile(require.resolve("axe-core/axe.min.js"), "utf8"));
    const axe = await p.evaluate<{ violations: { id: string; impact: string | null }[] }>("axe.run()");
    expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
    expect(requests.filter((r) => r !== url)).toEqual([]);
    expect(errors).toEqual([]);
    await p.close();
  });
});
