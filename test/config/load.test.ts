// Config validation: precise one-line errors, no inline secrets, CLI overrides.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../src/config/load.js";
import { CtsError } from "../../src/errors.js";

const S = "1fd6544e-e994-4de2-9f1b-787b51c7d325";
const T = "4a12efe6-aa14-4d03-8dff-88fc89e2e2ad";
const tenant = (tenantId: string, extra: object = {}) => ({ tenantId, auth: { method: "access-token", tokenEnv: "TOKEN" }, ...extra });

function error(fn: () => unknown): CtsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CtsError) return err;
    throw err;
  }
  throw new Error("expected a CtsError");
}

describe("parseConfig", () => {
  it("accepts a minimal pair and defaults the cloud", () => {
    const c = parseConfig({ source: tenant(S), target: tenant(T, { cloud: "usgov", graphEndpoint: "http://127.0.0.1:9999" }) }, "c.yaml");
    expect(c.source.cloud).toBe("global");
    expect(c.target.cloud).toBe("usgov");
    expect(c.target.graphEndpoint).toBe("http://127.0.0.1:9999");
  });

  it.each([
    [{ source: tenant("not-a-guid"), target: tenant(T) }, "source.tenantId: must be a tenant id GUID"],
    [{ source: tenant(S), target: tenant(S) }, "target.tenantId: source and target must be different tenants"],
    [{ source: tenant(S, { cloud: "mars" }), target: tenant(T) }, "source.cloud"],
    [{ source: tenant(S, { graphEndpoint: "https://graph.microsoft.com/v1.0" }), target: tenant(T) }, "must not include the version"],
    [{ source: { tenantId: S, auth: { method: "password" } }, target: tenant(T) }, "source.auth.method: must be one of"],
    [{ source: { tenantId: S, auth: { method: "client-secret", clientId: S } }, target: tenant(T) }, "exactly one of secretEnv or secretFile"],
    [{ source: tenant(S, { colour: "blue" }), target: tenant(T) }, 'source: unknown key "colour"'],
    [
      { source: { tenantId: S, auth: { method: "client-secret", clientId: S, clientSecret: "hunter2" } }, target: tenant(T) },
      "source.auth.clientSecret is not allowed",
    ],
    [{ source: tenant(S) }, "target"],
    ["just a string", "must be a mapping"],
  ])("rejects %j", (raw, message) => {
    const err = error(() => parseConfig(raw, "c.yaml"));
    expect(err.code).toBe("CONFIG_INVALID");
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(message);
    expect(err.message).not.toContain("\n");
    expect(err.message).not.toContain("hunter2");
  });

  it("applies CLI overrides before validating", () => {
    const c = parseConfig({ source: tenant(S), target: tenant(T) }, "c.yaml", {
      targetTenant: "9c5d131d-b1c3-4fc4-9e3f-c6557947d551",
      sourceEndpoint: "http://127.0.0.1:1",
    });
    expect(c.target.tenantId).toBe("9c5d131d-b1c3-4fc4-9e3f-c6557947d551");
    expect(c.source.graphEndpoint).toBe("http://127.0.0.1:1");
    expect(() => parseConfig({ source: tenant(S), target: tenant(T) }, "c.yaml", { sourceTenant: "x" })).toThrow(/source.tenantId/);
  });
});

describe("configuration:", () => {
  it("names the source's CTS configuration, from the file or --configuration, and is never blank", () => {
    expect(parseConfig({ source: tenant(S), target: tenant(T), configuration: " Fabrikam " }, "c.yaml").configuration).toBe("Fabrikam");
    expect(
      parseConfig({ source: tenant(S), target: tenant(T), configuration: "Fabrikam" }, "c.yaml", { configuration: "c8c95753-f628-48e1-9fab-76c2d4cf624c" })
        .configuration,
    ).toBe("c8c95753-f628-48e1-9fab-76c2d4cf624c");
    expect(error(() => parseConfig({ source: tenant(S), target: tenant(T), configuration: "  " }, "c.yaml")).message).toBe(
      "c.yaml: configuration: must name a configuration: its service principal id or displayName",
    );
  });
});

describe("loadConfig", () => {
  it("reads YAML and JSON, and reports unreadable or malformed files in one line", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cfg-"));
    await writeFile(
      path.join(dir, "c.yaml"),
      `source:\n  tenantId: ${S}\n  auth: { method: azure-cli }\ntarget:\n  tenantId: ${T}\n  auth: { method: azure-cli }\n`,
    );
    await writeFile(path.join(dir, "c.json"), JSON.stringify({ source: tenant(S), target: tenant(T) }));
    await writeFile(path.join(dir, "bad.yaml"), "source: [unclosed\n");
    expect((await loadConfig(path.join(dir, "c.yaml"))).source.auth.method).toBe("azure-cli");
    expect((await loadConfig(path.join(dir, "c.json"))).target.tenantId).toBe(T);
    await expect(loadConfig(path.join(dir, "bad.yaml"))).rejects.toThrow(/not valid YAML/);
    await expect(loadConfig(path.join(dir, "missing.yaml"))).rejects.toMatchObject({ code: "CONFIG_NOT_FOUND" });
  });
});
