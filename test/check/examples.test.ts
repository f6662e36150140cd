// The automation examples: the GitHub workflow passes SchemaStore's workflow schema and uses what the README promises;
// the sample config and waivers load; the cron line and systemd units run the check command.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Ajv } from "ajv";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { loadPairsConfig } from "../../src/config/pairs.js";
import { packageRoot } from "../../src/version.js";
import { loadWaivers } from "../../src/waivers/waivers.js";

const examples = path.join(packageRoot, "examples");
const read = (file: string) => readFile(path.join(examples, file), "utf8");

describe("GitHub Actions example", () => {
  it("is a valid workflow by SchemaStore's github-workflow schema", async () => {
    // test/check/github-workflow.schema.json: SchemaStore/schemastore src/schemas/json/github-workflow.json (draft-07).
    const schema = JSON.parse(await readFile(path.join(packageRoot, "test", "check", "github-workflow.schema.json"), "utf8"));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const workflow = YAML.parse(await read("github-actions/cts-doctor-nightly.yml"));
    expect(validate(workflow), ajv.errorsText(validate.errors)).toBe(true);
    // The schema is strict enough to catch mistakes.
    expect(validate({ ...workflow, jobs: { check: { ...workflow.jobs.check, "runs-on": undefined, steps: "x" } } })).toBe(false);
  });

  it("runs nightly with least privilege, federated or certificate auth, SARIF, step summary, artifacts and history", async () => {
    const wf = YAML.parse(await read("github-actions/cts-doctor-nightly.yml"));
    expect(wf.on.schedule[0].cron).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(wf.permissions).toEqual({ contents: "read", "id-token": "write", "security-events": "write", actions: "read" });
    const steps = wf.jobs.check.steps as { uses?: string; run?: string; name?: string; with?: Record<string, string> }[];
    const uses = steps.map((s) => s.uses ?? "");
    expect(uses).toContain("github/codeql-action/upload-sarif@v3");
    expect(uses).toContain("actions/upload-artifact@v4");
    expect(uses).toContain("actions/cache/restore@v4");
    expect(uses).toContain("actions/cache/save@v4");
    const runs = steps.map((s) => s.run ?? "").join("\n");
    expect(runs).toContain("cts-doctor check");
    expect(runs).toContain('--history "$HISTORY"');
    expect(runs).toContain("GITHUB_STEP_SUMMARY");
    expect(runs).toContain("report.md");
    expect(runs).toContain("audience=api://AzureADTokenExchange");
    expect(runs).toContain("cts-doctor.pem");
    const restore = steps.find((s) => s.uses === "actions/cache/restore@v4")!;
    const save = steps.find((s) => s.uses === "actions/cache/save@v4")!;
    expect(path.dirname(wf.jobs.check.env.HISTORY)).toBe(restore.with!["path"]);
    expect(save.with!["path"]).toBe(restore.with!["path"]);
  });
});

describe("sample config, waivers, cron and systemd", () => {
  it("the hub-and-spoke config loads with the hub shared by both pairs, and the waivers load", async () => {
    const config = await loadPairsConfig(path.join(examples, "pairs.yaml"));
    expect(config.pairs.map((p) => [p.name, p.tenantKeys.source, p.tenantKeys.target])).toEqual([
      ["contoso-fabrikam", "contoso", "fabrikam"],
      ["contoso-tailspin", "contoso", "tailspin"],
    ]);
    const waivers = await loadWaivers(path.join(examples, "waivers.yaml"));
    expect(waivers.map((w) => w.ruleId)).toEqual(["sms-sign-in-users-skipped", "external-users-can-leave"]);
  });

  it("the cron line and the systemd service run check with a history, and the timer is persistent", async () => {
    const cron = (await read("cron/cts-doctor.cron")).split("\n").filter((l) => l && !l.startsWith("#") && !l.includes("="));
    expect(cron).toHaveLength(1);
    expect(cron[0]).toMatch(/^(\S+\s+){5}cts-doctor\s/);
    expect(cron[0]).toContain("cts-doctor check");
    expect(cron[0]).toContain("--history");
    expect(cron[0]).not.toMatch(/[^\\]%/);
    const service = await read("systemd/cts-doctor-check.service");
    expect(service).toMatch(/^ExecStart=\/usr\/bin\/cts-doctor check .*--history /m);
    expect(service).toMatch(/^Type=oneshot$/m);
    const timer = await read("systemd/cts-doctor-check.timer");
    expect(timer).toMatch(/^OnCalendar=/m);
    expect(timer).toMatch(/^Persistent=true$/m);
  });
});
