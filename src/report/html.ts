// The self-contained HTML report: Handlebars templates from templates/, a view model from html-view.ts, a hash-based CSP.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { packageRoot } from "../version.js";
import type { Report, RuleInfo } from "./model.js";
import { buildView } from "./html-view.js";
import { predictView } from "./html-predict.js";

const templatesDir = path.join(packageRoot, "templates");

/** Base64 sha256 of an inline element's exact text, in CSP source form. */
export function cspHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` become \u escapes so data can never close the
 * element or open a comment, and `=` plus bidi/line separators are escaped so a reader scanning the file sees no markup.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&=\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

interface Compiled {
  template: HandlebarsTemplateDelegate;
  css: string;
  js: string;
}

let compiled: Compiled | undefined;

function readAsset(name: string, closer: string): string {
  const text = readFileSync(path.join(templatesDir, name), "utf8");
  // Our own assets go out unescaped (see the `inline` helper), so they must not be able to end their own element.
  if (text.toLowerCase().includes(closer)) throw new Error(`templates/${name} must not contain ${closer}`);
  return text;
}

/**
 * Compile once per process. The environment is isolated, strict (a missing view field throws instead of printing
 * nothing) and knows only one custom helper, `inline`: it returns one of four strings we built ourselves (the CSP, the
 * CSS, the JS and the escaped JSON data block), chosen by a literal name in the template; tenant data can never reach it.
 * Every other output uses `{{ }}`, so it is HTML-escaped; templates contain no triple-stash (a test checks).
 */
function compile(): Compiled {
  if (compiled) return compiled;
  const hb = Handlebars.create();
  const options = { strict: true, knownHelpersOnly: true, knownHelpers: { inline: true } } as const;
  hb.registerHelper("inline", function (this: unknown, name: unknown, opts: Handlebars.HelperOptions) {
    const trusted = (opts.data as { trusted?: Record<string, string> } | undefined)?.trusted;
    if (typeof name !== "string" || !trusted || !Object.hasOwn(trusted, name)) throw new Error(`inline: unknown block ${String(name)}`);
    return new hb.SafeString(trusted[name] ?? "");
  });
  const partialsDir = path.join(templatesDir, "partials");
  for (const file of readdirSync(partialsDir).filter((f) => f.endsWith(".hbs"))) {
    hb.registerPartial(path.basename(file, ".hbs"), hb.compile(readFileSync(path.join(partialsDir, file), "utf8"), options));
  }
  const template = hb.compile(readFileSync(path.join(templatesDir, "report.hbs"), "utf8"), options);
  compiled = { template, css: readAsset("report.css", "</style"), js: readAsset("report.js", "</script") };
  return compiled;
}

/** Render the report as one offline HTML file; `rules` supplies every rule text (title, symptom, cause, fix, references). */
export function renderHtml(report: Report, rules: ReadonlyMap<string, RuleInfo>): string {
  const { template, css, js } = compile();
  const { view, tables } = buildView(report, rules);
  const csp = ["default-src 'none'", `script-src ${cspHash(js)}`, `style-src ${cspHash(css)}`, "img-src data:", "base-uri 'none'", "form-action 'none'"].join(
    "; ",
  );
  // The policy is our own text (base64 hashes and keywords), printed raw so the <meta> stays readable to a reviewer.
  const trusted = { csp, css, js, data: jsonForScript({ tables }) };
  return template({ ...view, predict: predictView(report) }, { data: { trusted } });
}
