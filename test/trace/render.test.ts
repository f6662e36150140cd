// The trace renderers: HTML escapes every tenant value and pins its only inline style by hash; text names each link.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { traceHtml, traceText } from "../../src/trace/render.js";
import type { TraceResult } from "../../src/trace/types.js";

const hostile = '<script>alert(1)</script>"\'&';
const trace: TraceResult = {
  mode: "snapshot",
  query: hostile,
  user: { id: "u1", userPrincipalName: `${hostile}@contoso.com`, displayName: hostile },
  links: [{ name: "source-user", status: "blocked", detail: `user ${hostile}`, ruleIds: [], fix: `fix ${hostile}`, evidence: {} }],
  verdict: { status: "blocked", ruleIds: ["x"], message: hostile, command: `run ${hostile}` },
};

describe("trace renderers", () => {
  it("HTML: nothing from the data becomes markup, and the style matches its CSP hash", () => {
    const html = traceHtml(trace);
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;");
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = createHash("sha256").update(style, "utf8").digest("base64");
    expect(html).toContain(`style-src 'sha256-${hash}'`);
    expect(html).toContain("default-src 'none'");
  });

  it("text: one numbered line per link with its status, then the verdict and the command", () => {
    const text = traceText(trace);
    expect(text).toContain("1. [BLOCKED] source-user");
    expect(text).toContain("Verdict: BLOCKED  (x)");
    expect(text).toContain(`Run: run ${hostile}`);
  });
});
