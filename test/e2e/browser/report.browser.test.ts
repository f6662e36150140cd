// The HTML report in headless Chromium from file://: no network, no console error, working filters, search and copy, axe-clean.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type Browser } from "../../../bench/chromium.js";
import { renderHtml } from "../../../src/report/html.js";
import { bigObjects, fixtureReport, hostileObjects, rules } from "../../report/fixtures.js";
import { pairReport, ruleInfoMap } from "../../../src/app/analyze.js";
import type { User } from "../../../src/snapshot/graph-types.js";
import { pairFrom } from "../../helpers/pair.js";
import { scenarioReport } from "../../helpers/report.js";

const require = createRequire(import.meta.url);
const ARTIFACTS = path.resolve("test-artifacts");
const ROWS = 5_000;

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

// Unset when Chromium could not be launched: afterAll then has nothing to close.
let browser: Browser | undefined;
let dir: string;
let url: string;
let page: Page;
const requests: string[] = [];
const consoleErrors: string[] = [];

async function openReport(b: Browser): Promise<Page> {
  const p = await b.context.newPage();
  p.on("request", (r) => requests.push(r.url()));
  p.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  p.on("pageerror", (e) => consoleErrors.push(String(e)));
  // Injected through the DevTools protocol before any page script; flags any dialog hostile data might open.
  await p.addInitScript(() => {
    const flag = () => {
      (globalThis as unknown as { alerted: boolean }).alerted = true;
    };
    Object.assign(globalThis, { alert: flag, confirm: flag, prompt: flag });
  });
  await p.goto(url, { waitUntil: "load" });
  return p;
}

async function axeViolations(p: Page): Promise<AxeResult["violations"]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern; a <script> tag would be refused.
  const source = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
  await p.evaluate(source);
  const result = (await p.evaluate(() => (globalThis as unknown as { axe: { run(): Promise<unknown> } }).axe.run())) as AxeResult;
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "cts-browser-"));
  const file = path.join(dir, "report.html");
  await writeFile(file, renderHtml(fixtureReport([...hostileObjects, ...bigObjects(ROWS)]), rules));
  url = pathToFileURL(file).href;
  browser = await launchChromium();
  page = await openReport(browser);
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The demo pair's report, as `demo` writes it, for the layout checks. */
async function demoReportUrl(): Promise<string> {
  const report = await scenarioReport("contoso-fabrikam");
  const file = path.join(dir, "demo.html");
  await writeFile(file, renderHtml(report, ruleInfoMap()));
  return pathToFileURL(file).href;
}

describe.for([
  { name: "desktop", width: 1280, height: 800 },
  { name: "mobile", width: 390, height: 844 },
])("the demo pair's report at $name size ($width×$height)", ({ name, width, height }) => {
  let p: Page;
  // Closed after the block when its setup succeeded; otherwise the file's afterAll closes it with the browser.
  beforeAll(async () => {
    p = await browser!.context.newPage();
    await p.setViewportSize({ width, height });
    await p.goto(await demoReportUrl(), { waitUntil: "load" });
    return () => p.close();
  });

  it("shows the action list above the fold, per tenant", async () => {
    const box = await p.locator("#actions").boundingBox();
    expect(box?.y ?? Infinity).toBeLessThan(height);
    expect(await p.locator("#actions h3").allTextContents()).toEqual(["Source tenant (Contoso): 5 changes", "Target tenant (Fabrikam): 7 changes"]);
    await mkdir(ARTIFACTS, { recursive: true });
    await p.screenshot({ path: path.join(ARTIFACTS, `report-demo-${name}.png`) });
  });

  it("has no horizontal overflow, even with every fold open", async () => {
    // String expressions: this file type-checks without the DOM library.
    const fits = () => p.evaluate("document.documentElement.scrollWidth <= innerWidth");
    expect(await fits()).toBe(true);
    await p.locator("#rule-source-outbound-auto-redeem-disabled").screenshot({ path: path.join(ARTIFACTS, `report-demo-${name}-rule.png`) });
    await p.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })");
    expect(await fits()).toBe(true);
    await p.locator("#rule-job-quarantined").screenshot({ path: path.join(ARTIFACTS, `report-demo-${name}-consequence.png`) });
    await p.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = false; })");
  });

  it("keeps raw evidence JSON hidden until its toggle is opened", async () => {
    const raw = p.locator("details.raw").first();
    const pre = raw.locator("pre");
    expect(await pre.isVisible()).toBe(false);
    expect(await p.locator("table.evidence time[datetime]").count()).toBeGreaterThan(0);
    await raw.locator("summary").click();
    expect(await pre.isVisible()).toBe(true);
    expect(JSON.parse((await pre.textContent()) ?? "")).toBeTypeOf("object");
    await raw.locator("summary").click();
  });

  it("is axe-clean (no serious or critical violation)", async () => {
    expect(await axeViolations(p)).toEqual([]);
  });
});

const HOSTILE = `<img src=x onerror="alert(1)">Megan & "Bowen"`;

/** The demo pair's report with its predict section, one user renamed to markup, as `analyze` builds it. */
async function predictReportUrl(): Promise<string> {
  const base = await pairFrom("contoso-fabrikam");
  const users = base.get("source.users").map((u: User) => (u.userPrincipalName === "meganb@contoso.com" ? { ...u, displayName: HOSTILE } : u));
  const pair = await pairFrom("contoso-fabrikam", { facets: { "source.users": users } });
  const report = pairReport(pair, new Date("2025-03-04T12:00:00Z"));
  const file = path.join(dir, "predict.html");
  await writeFile(file, renderHtml(report, ruleInfoMap()));
  return pathToFileURL(file).href;
}

describe("the demo pair's predict section", () => {
  let p: Page;
  let fileUrl: string;
  const seen: string[] = [];
  const errors: string[] = [];
  beforeAll(async () => {
    fileUrl = await predictReportUrl();
    p = await browser!.context.newPage();
    p.on("request", (r) => seen.push(r.url()));
    p.on("pageerror", (e) => errors.push(String(e)));
    p.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await p.addInitScript(() => {
      Object.assign(globalThis, { alert: () => Object.assign(globalThis, { alerted: true }) });
    });
    await p.goto(fileUrl, { waitUntil: "load" });
  });
  afterAll(async () => p.close());

  it("shows the counts per action, the users per action folded, and the attribute diffs", async () => {
    expect(await p.locator("#predict-heading").textContent()).toBe("Next cycle (predicted)");
    expect(await p.locator("nav.toc a[href='#predict']").count()).toBe(1);
    const counts = await p.locator("table.predict-counts td").allTextContents();
    expect(counts).toEqual(["2", "1", "10", "1", "0", "0"]);
    expect(await p.locator("details.predict-action > summary").allTextContents()).toEqual(["Create (2)", "Update (1)", "Skip (1)"]);
    const update = p.locator("details.predict-action[data-action='update']");
    expect(await update.locator("table.predict-changes").isVisible()).toBe(false);
    await update.locator("summary").click();
    const row = update.locator("table.predict-changes tbody tr").first();
    expect(await row.isVisible()).toBe(true);
    expect(await row.locator("th").textContent()).toBe("userPrincipalName");
    const [old, next] = await row.locator("td").allTextContents();
    expect(old).toBe("alex.wilber@contoso.com");
    expect(next).toMatch(/^→ alexw@contoso\.com(FlowWhenChanged|$)/);
  });

  it("shows an HTML-hostile display name as text, with no request, dialog or console error", async () => {
    const create = p.locator("details.predict-action[data-action='create']");
    await create.locator("summary").click();
    expect(await create.locator(".predict-name").allTextContents()).toContain(HOSTILE);
    expect(await p.locator("#predict img").count()).toBe(0);
    expect(await p.evaluate(() => (globalThis as unknown as { alerted?: boolean }).alerted ?? false)).toBe(false);
    expect(seen.filter((r) => r !== fileUrl && !r.startsWith("data:"))).toEqual([]);
    expect(errors).toEqual([]);
    expect(await axeViolations(p)).toEqual([]);
  });
});

describe("report.html in Chromium", () => {
  it("loads with no network request and no console error", async () => {
    await page.mouse.wheel(0, 20_000); // scroll through, in case anything loads lazily
    await page.waitForTimeout(200);
    expect(requests.filter((r) => r !== url && !r.startsWith("data:"))).toEqual([]);
    expect(requests).toContain(url);
    expect(consoleErrors).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { alerted?: boolean }).alerted ?? false)).toBe(false);
    expect(await page.locator("img").count()).toBe(0);
  });

  it("filters rules by severity, side and status", async () => {
    const critical = page.locator("#rule-source-outbound-auto-redeem-disabled");
    const inconclusive = page.locator("#rule-target-inbound-auto-redeem-disabled");
    await expect.poll(() => page.locator("#filter-status").textContent()).toBe("Showing 3 of 3 rules.");
    await page.locator("#filter-severity-critical").uncheck();
    expect(await critical.isHidden()).toBe(true);
    expect(await inconclusive.isHidden()).toBe(true); // also critical if failing
    expect(await page.locator("#rule-target-inbound-sync-disabled").isVisible()).toBe(true);
    await page.locator("#filter-severity-critical").check();
    await page.locator("#filter-status-inconclusive").uncheck();
    expect(await inconclusive.isHidden()).toBe(true);
    expect(await critical.isVisible()).toBe(true);
    await page.locator("#filter-side-target").uncheck();
    expect(await page.locator("#rule-target-inbound-sync-disabled").isHidden()).toBe(true);
    await page.locator("#filter-status-fail").uncheck();
    expect(await page.locator("#filter-empty").isVisible()).toBe(true);
    for (const id of ["#filter-status-inconclusive", "#filter-side-target", "#filter-status-fail"]) await page.locator(id).check();
    await expect.poll(() => page.locator("#filter-status").textContent()).toBe("Showing 3 of 3 rules.");
  });

  it(`searches, sorts and pages the ${ROWS.toLocaleString("en-US")}-row affected-object table`, async () => {
    const table = page.locator(".objects").first();
    const info = table.locator(".page-info");
    const total = ROWS + hostileObjects.length;
    await expect.poll(() => info.textContent()).toBe(`Rows 1–50 of ${total}`);
    expect(await table.locator("tbody tr").count()).toBe(50);

    await table.locator(".page-next").click();
    expect(await info.textContent()).toBe(`Rows 51–100 of ${total}`);

    const started = Date.now();
    await table.locator(".objects-search").fill("user4321@");
    await expect.poll(() => info.textContent()).toBe(`Rows 1–1 of 1 (filtered from ${total})`);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await table.locator("tbody tr td").nth(3).textContent()).toBe("user4321@contoso.example");

    // hostile rows are found by their text and shown as text
    await table.locator(".objects-search").fill("onerror");
    await expect.poll(() => info.textContent()).toMatch(/^Rows 1–\d+ of \d+ \(filtered/);
    expect(await table.locator("tbody img").count()).toBe(0);

    await table.locator(".objects-search").fill("");
    await expect.poll(() => info.textContent()).toBe(`Rows 1–50 of ${total}`);
    await table.locator("button.sort[data-col='3']").click();
    expect(await table.locator("th").nth(3).getAttribute("aria-sort")).toBe("ascending");
    await table.locator("button.sort[data-col='3']").click();
    expect(await table.locator("th").nth(3).getAttribute("aria-sort")).toBe("descending");
    expect(await table.locator("tbody tr td").nth(3).textContent()).toBe("user4999@contoso.example"); // numeric collation: 4999 after 999
  });

  it("has copy buttons that copy or fall back, folded in the action list until opened", async () => {
    const buttons = page.locator("button.copy");
    expect(await buttons.count()).toBeGreaterThanOrEqual(4);
    const first = buttons.first();
    expect(await first.isVisible()).toBe(false);
    await page.locator("#actions details.action-fix > summary").first().click();
    await first.click();
    await expect.poll(() => first.textContent()).not.toBe("Copy");
  });

  it("draws the provisioning chart with a table alternative", async () => {
    expect(await page.locator("#activity svg rect").count()).toBeGreaterThan(8);
    expect(await page.locator("#activity svg").getAttribute("role")).toBe("img");
    expect(await page.locator("#activity table tbody tr").count()).toBe(8);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.locator("#activity").screenshot({ path: path.join(ARTIFACTS, "report-activity.png") });
  });

  it("has no serious or critical axe violation, in light and dark mode", async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "report.png"), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    const dark = await launchChromium({ colorScheme: "dark" });
    try {
      const darkPage = await openReport(dark);
      await darkPage.screenshot({ path: path.join(ARTIFACTS, "report-dark.png") });
      expect(await axeViolations(darkPage)).toEqual([]);
    } finally {
      await dark.close();
    }
    expect(consoleErrors).toEqual([]);
    expect(requests.filter((r) => r !== url && !r.startsWith("data:"))).toEqual([]);
  });
});
