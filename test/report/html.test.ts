// The HTML report: hostile tenant data stays inert, the CSP matches the inline code, nothing loads from the network.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderHtml } from "../../src/report/html.js";
import { packageRoot } from "../../src/version.js";
import { BREAKOUT, FORMULA, IMG, TARGET, bigObjects, fixtureReport, hostileObjects, results, rules } from "./fixtures.js";

const render = (objects = hostileObjects) => renderHtml(fixtureReport(objects), rules);
const html = render();
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("base64");
/** Markup outside the two inline code elements and the data block, where attributes could live. */
const markup = (doc: string) => doc.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/g, "");
const tags = (doc: string) => markup(doc).match(/<[a-zA-Z][^>]*>/g) ?? [];

describe("renderHtml", () => {
  it("never emits hostile tenant data unescaped", () => {
    expect(html).not.toContain("<img");
    expect(html).not.toContain("alert(1)</script>");
    expect(html.match(/<script\b/g)).toHaveLength(2); // the JSON block and our script
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain("&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;");
    expect(html).toContain("&#x3D;HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)");
    // bidi and zero-width characters are shown as code points, in markup and in the data block alike
    // eslint-disable-next-line no-misleading-character-class -- each character is looked for on its own; the ZWJ joins nothing here
    expect(html).not.toMatch(/[\u202E\u200B\u200D\uFEFF]/);
    expect(html).toContain("evil[U+202E]gnp.exe");
    expect(html).toContain("ad[U+200B]min[U+200D][U+FEFF]");
  });

  it("embeds object rows as JSON that cannot close its element and round-trips", () => {
    const block = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    expect(block).not.toMatch(/[<>&]/);
    const data = JSON.parse(block) as { tables: Record<string, string[][]> };
    const rows = Object.values(data.tables).flat();
    expect(rows).toContainEqual([IMG, "user", BREAKOUT, FORMULA]);
  });

  it("puts a CSP whose hashes match the inline script and style first in <head>", () => {
    const head = /<head>\s*(<[^>]*>)/.exec(html)?.[1] ?? "";
    expect(head).toMatch(/^<meta http-equiv="Content-Security-Policy" content="/);
    const csp = /content="([^"]*)"/.exec(head)?.[1] ?? "";
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    expect(style.length).toBeGreaterThan(100);
    expect(script.length).toBeGreaterThan(100);
    expect(csp).toBe(
      `default-src 'none'; script-src 'sha256-${sha256(script)}'; style-src 'sha256-${sha256(style)}'; img-src data:; base-uri 'none'; form-action 'none'`,
    );
    expect(html.match(/<style\b/g)).toHaveLength(1);
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
  });

  it("makes no network request: no remote src/href except plain links to Microsoft Learn", () => {
    for (const tag of tags(html)) {
      for (const [, name, value] of tag.matchAll(/\s(src|href|srcset|action|poster|data)\s*=\s*"([^"]*)"/gi)) {
        if (!/^\s*(https?:|\/\/)/i.test(value ?? "")) continue;
        expect(name?.toLowerCase(), tag).toBe("href");
        expect(tag.startsWith("<a "), tag).toBe(true);
        expect(value, tag).toMatch(/^https:\/\/learn\.microsoft\.com\//);
      }
    }
    expect(html).toContain('<a href="https://learn.microsoft.com/');
    expect(html).not.toMatch(/<(img|link|iframe|object|embed|audio|video|source|base)\b/i);
    expect(html).not.toMatch(/url\(|@import/i);
  });

  it("has no inline style or event-handler attributes", () => {
    for (const tag of tags(html)) {
      expect(tag).not.toMatch(/\sstyle\s*=/i);
      expect(tag).not.toMatch(/\son\w+\s*=/i);
    }
  });

  it("gives every failing rule a section titled from its metadata, before the inconclusive ones", () => {
    for (const r of results(hostileObjects)) {
      const info = rules.get(r.ruleId);
      expect(info).toBeDefined();
      expect(html).toContain(`id="rule-${r.ruleId}"`);
    }
    const first = html.indexOf('id="rule-source-outbound-auto-redeem-disabled"');
    const second = html.indexOf('id="rule-target-inbound-sync-disabled"');
    const third = html.indexOf('id="rule-target-inbound-auto-redeem-disabled"');
    expect(first).toBeLessThan(second); // critical before high
    expect(second).toBeLessThan(third);
    expect(html).toContain("Source tenant does not automatically redeem invitations for the target");
    // the fix comes from metadata with placeholders filled, and the inconclusive rule names the permission to grant
    expect(html).toContain(`PATCH /v1.0/policies/crossTenantAccessPolicy/partners/${TARGET}`);
    expect(html).toContain("Policy.Read.All");
    expect(html).toContain("Overall: Failing (critical)");
  });

  it("opens with the action list, shows evidence as facts with dates, folds raw JSON and rule text, keeps print colours", () => {
    expect(html.indexOf('id="actions"')).toBeGreaterThan(0);
    expect(html.indexOf('id="actions"')).toBeLessThan(html.indexOf('id="summary"'));
    expect(html).toContain("Source tenant (11111111-1111-1111-1111-111111111111): 1 change");
    expect(html).toMatch(/<details class="raw"><summary>Raw evidence \(JSON\)<\/summary><pre>/);
    expect(html).toMatch(/<details class="about"><summary>About this rule: symptom, cause, detection<\/summary>/);
    const withDate = renderHtml(
      {
        ...fixtureReport(),
        results: results().map((r, i) => (i === 0 ? { ...r, findings: r.findings.map((f) => ({ ...f, evidence: { seenAt: "2025-03-02T08:40:12Z" } })) } : r)),
      },
      rules,
    );
    expect(withDate).toContain('<time datetime="2025-03-02T08:40:12Z" title="2025-03-02T08:40:12Z">2025-03-02 08:40 UTC</time>');
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
    expect(css).toMatch(/\.badge[^{]*\{[^}]*print-color-adjust: exact/);
    expect(css).toContain(".table-scroll { max-width: 100%; overflow-x: auto;");
  });

  it("uses no triple-stash in templates", () => {
    const dir = path.join(packageRoot, "templates");
    const files = ["report.hbs", ...readdirSync(path.join(dir, "partials")).map((f) => path.join("partials", f))];
    for (const f of files) expect(readFileSync(path.join(dir, f), "utf8"), f).not.toContain("{{{");
  });

  it("renders a 20,000-object finding under 15 MB, with only the first page as markup", () => {
    const big = render(bigObjects(20_000));
    expect(Buffer.byteLength(big, "utf8")).toBeLessThan(15 * 1024 * 1024);
    expect(big).toContain("Affected objects (20,000)");
    expect(markup(big).match(/user\d+@contoso\.example/g)).toHaveLength(50);
    expect(big).not.toContain("<img");
  });
});
