// The fix registry is explicit and sorted, matches the rules/<id>/fix.ts files, and the config takes remediation auth.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fixes } from "../../rules/fixes.js";
import { rules } from "../../rules/index.js";
import { parseConfig } from "../../src/config/load.js";
import { packageRoot } from "../../src/version.js";

describe("fix registry", () => {
  it("lists exactly the rules with a fix.ts, sorted by id", () => {
    const keys = Object.keys(fixes);
    expect(keys).toEqual([...keys].sort());
    const dir = path.join(packageRoot, "rules");
    const withFix = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, "fix.ts")))
      .map((e) => e.name)
      .sort();
    expect(keys).toEqual(withFix);
    for (const id of keys) expect(Object.keys(rules)).toContain(id);
  });
});

describe("remediation credentials in the config", () => {
  const tenant = (id: string, extra: object = {}) => ({ tenantId: id, auth: { method: "azure-cli" }, ...extra });
  const s = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
  const t = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";

  it("accepts an optional remediation.auth block per tenant", () => {
    const config = parseConfig(
      { source: tenant(s, { remediation: { auth: { method: "client-certificate", clientId: s, certificatePath: "w.pem" } } }), target: tenant(t) },
      "c.json",
    );
    expect(config.source.remediation?.auth.method).toBe("client-certificate");
    expect(config.target.remediation).toBeUndefined();
  });

  it("refuses unknown keys and inline secrets in it", () => {
    expect(() => parseConfig({ source: tenant(s, { remediation: { auth: { method: "azure-cli" }, extra: 1 } }), target: tenant(t) }, "c.json")).toThrow(
      /source\.remediation: unknown key "extra"/,
    );
    expect(() =>
      parseConfig({ source: tenant(s, { remediation: { auth: { method: "client-secret", clientId: s, clientSecret: "x" } } }), target: tenant(t) }, "c.json"),
    ).toThrow(/clientSecret is not allowed/);
  });
});
