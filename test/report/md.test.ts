// report.md: hostile tenant data renders as inert text (checked through a real Markdown renderer with linkify on).
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { MD_OBJECTS_PER_FINDING, escapeMd, fence, renderMarkdown } from "../../src/report/md.js";
import { bigObjects, fixtureReport, rules } from "./fixtures.js";

const md = renderMarkdown(fixtureReport(), rules);
const html = new MarkdownIt({ html: true, linkify: true }).render(md);

describe("renderMarkdown", () => {
  it("renders hostile names as text: no tags, no links, no images from tenant data", () => {
    expect(html).not.toMatch(/<img|<script|<b>|<x\/>/i);
    expect(html).not.toMatch(/href="http:\/\/(x|evil)/);
    expect(html).not.toContain("evil.example</a>");
    expect(html).not.toMatch(/<strong>bold/);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    // eslint-disable-next-line no-misleading-character-class -- each character is looked for on its own; the ZWJ joins nothing here
    expect(md).not.toMatch(/[\u202E\u200B\u200D\uFEFF]/);
    expect(md).toContain("evil\\[U\\+202E\\]gnp.exe");
  });

  it("keeps every affected-object table row in its columns", () => {
    const rows = html.match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
    const objectRows = rows.filter((r) => /<td>(u\d|p1|&lt;img)/.test(r));
    expect(objectRows.length).toBe(6);
    for (const r of objectRows) expect(r.match(/<td/g)).toHaveLength(4);
  });

  it("has the verdict, the fix from metadata and the permission to grant", () => {
    expect(md).toContain("**Overall: Failing (critical)**");
    expect(md).toContain("PATCH /v1.0/policies/crossTenantAccessPolicy/partners/22222222-2222-2222-2222-222222222222");
    expect(md).toMatch(/\| Policy\.Read\.All \|$/m);
    expect(md).toContain("## Provisioning outcomes per day");
  });

  it("caps the objects listed per finding", () => {
    const big = renderMarkdown(fixtureReport(bigObjects(5_000)), rules);
    expect(big.match(/user\d+\\@contoso\.example/g)).toHaveLength(MD_OBJECTS_PER_FINDING);
    expect(big).toContain(`…and ${(5_000 - MD_OBJECTS_PER_FINDING).toLocaleString("en-US")} more`);
  });
});

describe("escapeMd and fence", () => {
  it("flattens line breaks and escapes table and HTML syntax", () => {
    expect(escapeMd("a|b\nc<d>&`e`")).toBe("a\\|b c&lt;d&gt;&amp;\\`e\\`");
  });
  it("makes a fence longer than any backtick run inside", () => {
    const block = fence("x ``` y ```` z");
    expect(block.startsWith("`````\n")).toBe(true);
    expect(new MarkdownIt().render(block)).toContain("x ``` y ```` z");
  });
});
