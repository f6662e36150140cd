// Collection bench worker: `diagnose` collects and analyses like `cts-doctor diagnose`; `guide` reads the guide's way. Prints JSON.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { analyzeSnapshot } from "../src/app/analyze.js";
import { collect } from "../src/collect/run.js";
import { fakeToken } from "../src/emulator/index.js";
import { StaticTokenCredential } from "../src/graph/auth.js";
import { readManifest } from "../src/snapshot/store.js";
import { boundHeapGrowth } from "../src/cli/heap.js";
import { benchArgs, oneOf } from "./args.js";
import { collectTheGuideWay } from "./guide.js";

const USAGE = "collection-worker.js diagnose|guide EMULATOR_URL PAIR_DIR";
const { positionals } = benchArgs("collection-worker.js", USAGE, { positionals: { min: 3, max: 3 } });
boundHeapGrowth(); // as the CLI does: the peak RSS measured is the command's
const mode = oneOf("collection-worker.js", USAGE, "mode", positionals[0], ["diagnose", "guide"] as const);
const [, url, pairDir] = positionals as [string, string, string];
const manifest = await readManifest(pairDir);
const t0 = performance.now();
if (mode === "guide") {
  const r = await collectTheGuideWay(url, manifest);
  process.stdout.write(JSON.stringify({ wallMs: performance.now() - t0, ...r, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + "\n");
} else {
  const out = await mkdtemp(path.join(tmpdir(), "cts-bench-collect-"));
  const tenant = (side: "source" | "target") => ({
    tenantId: manifest[side].tenantId,
    cloud: manifest[side].cloud,
    graphEndpoint: url,
    auth: { method: "access-token" as const, tokenEnv: "UNUSED" },
  });
  let throttled = 0;
  const result = await collect({ source: tenant("source"), target: tenant("target") }, path.join(out, "snapshot"), {
    since: new Date(manifest.window.since),
    until: new Date(manifest.window.until),
    connectionTest: true,
    credentials: {
      source: new StaticTokenCredential(fakeToken(manifest.source.tenantId)),
      target: new StaticTokenCredential(fakeToken(manifest.target.tenantId)),
    },
    onRetry: (_side, info) => {
      if (info.status === 429) throttled++;
    },
  });
  const collectMs = performance.now() - t0;
  // Which phase sets the peak: collecting, or analysing the snapshot it wrote.
  const collectMaxRssBytes = process.resourceUsage().maxRSS * 1024;
  const { report } = await analyzeSnapshot(path.join(out, "snapshot"), out, ["json", "html"], "high");
  const wallMs = performance.now() - t0;
  await rm(out, { recursive: true, force: true });
  const notOk = Object.entries(result.manifest.facets)
    .filter(([, e]) => e.status !== "ok")
    .map(([id, e]) => `${id}: ${e.status} ${e.error?.code ?? ""}`);
  process.stdout.write(
    JSON.stringify({
      wallMs,
      collectMs,
      requests: result.requests.source + result.requests.target,
      throttledRetries: throttled,
      notOk,
      logEntries: result.manifest.facets["source.provisioningLogs"]?.count ?? 0,
      phoneSelection: result.manifest.facets["source.phoneMethods"]?.selection ?? null,
      failing: report.results.filter((r) => r.status === "fail").map((r) => r.ruleId),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      collectMaxRssBytes,
    }) + "\n",
  );
}
