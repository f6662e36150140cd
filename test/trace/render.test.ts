// The trace renderers: HTML escapes every tenant value and pins its only inline style by hash; text names each link.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { traceHtml, traceText } from "../../src/trace/render.js";
import type { TraceResult } from "../../src/trace/types.js";

const hostile = "<script>alert(1)</script>\"'&";
const trace: TraceResult = {
  mode: "snapshot",
  query: hostile,
  user: { id: "u1", userPrincipalName: `${hostile}@contoso.com`, displayName: hostile },
  links: [{ name: "source-user", status: "blocked", detail: `user ${hostile}`, ruleIds: [], fix: `fix ${hostile}`, evidence: {} }],
  verdict: { status: "blocked", ruleIds: ["job-not-running"], message: hostile, command: `run ${hostile}` },
};

describe("trace renderers", () => {
  it("HTML: nothing from the data becomes markup, and the style matches its CSP hash", () => {
    const html = traceHtml(trace);
    expect(html.match(/<script\b/g)).toHaveLength(1); // our copy-button script, pinned by hash
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;");
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = createHash("sha256").update(style, "utf8").digest("base64");
    expect(html).toContain(`style-src 'sha256-${hash}'`);
    expect(html).toContain("default-src 'none'");
  });

  it("HTML: viewport, dark mode, the pair by name and id, date and version, the verdict before the chain, copy buttons", () => {
    const withEvidence: TraceResult = { ...trace, links: [{ ...trace.links[0]!, evidence: { seenAt: "2025-03-02T08:40:12Z", nested: { code: hostile } } }] };
    const html = traceHtml(withEvidence, {
      source: { tenantId: "11111111-1111-1111-1111-111111111111", displayName: "Contoso", domain: "contoso.com" },
      target: { tenantId: "22222222-2222-2222-2222-222222222222", displayName: `Fab${hostile}` },
      generatedAt: "2025-03-04T12:00:00.000Z",
      tool: "cts-doctor 0.1.0",
    });
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain("prefers-color-scheme:dark");
    expect(html).toContain("<strong>Contoso</strong> contoso.com · <code>11111111-1111-1111-1111-111111111111</code>");
    expect(html).toContain("Fab&lt;script&gt;");
    expect(html).toContain('<time datetime="2025-03-04T12:00:00.000Z" title="2025-03-04T12:00:00.000Z">2025-03-04 12:00 UTC</time> by cts-doctor 0.1.0');
    expect(html.indexOf('class="verdict')).toBeLessThan(html.indexOf("<ol>"));
    expect(html).toContain('<time datetime="2025-03-02T08:40:12Z"');
    expect(html.match(/<button type="button" data-copy="copy-\d+">Copy<\/button>/g)).toHaveLength(2);
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(html).toContain(`script-src 'sha256-${createHash("sha256").update(script, "utf8").digest("base64")}'`);
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).not.toMatch(/\s(src|href)="https?:/);
  });

  it("text: one numbered line per link with its status, then the verdict and the command", () => {
    const text = traceText(trace);
    expect(text).toContain("1. [BLOCKED] source-user");
    expect(text).toContain("Verdict: BLOCKED  (job-not-running)");
    expect(text).toContain(`Run: run ${hostile}`);
  });
});
