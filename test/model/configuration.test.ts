// The one decision "the configuration for the target": CompanyId, the user's name, then evidence when CompanyId is unknown.
import { describe, expect, it } from "vitest";
import { chooseConfiguration, toConfiguration, type SyncConfiguration } from "../../src/model/configuration.js";
import { fabrikam, OTHER, sp, T, unread, withCompany } from "../helpers/configurations.js";
import { jobRunState } from "../../src/model/job-state.js";

const choose = (configs: SyncConfiguration[], extra: { named?: string } = {}) =>
  chooseConfiguration({ configs, targetTenantId: T, targetOrganization: fabrikam, ...extra });

describe("chooseConfiguration", () => {
  it("CompanyId equal to the target confirms (case-insensitive)", () => {
    const c = choose([withCompany("a", "Sync", T.toUpperCase()), unread("b", "Fabrikam")]);
    expect(c).toMatchObject({ confirmed: true, basis: "companyId", config: { servicePrincipal: { id: "a" } } });
  });

  it("every CompanyId known and none the target: absent, a fact", () => {
    expect(choose([withCompany("a", "Fabrikam", OTHER)])).toMatchObject({ config: undefined, absent: true });
  });

  it("a secrets document without CompanyId is unknown, not absent", () => {
    const c = choose([toConfiguration(sp("a", "Woodgrove"), [{ key: "SyncAll", value: "false" }]), withCompany("b", "Northwind", OTHER)]);
    // Not absent; and "Woodgrove" does not name the target Fabrikam, so it is no guess either.
    expect(c).toMatchObject({ absent: false, confirmed: false, config: undefined });
    expect(c.evidence).toContain("its name does not name the target");
  });

  it("the lone candidate stands in only while the target's names are unknown", () => {
    const configs = [toConfiguration(sp("a", "Woodgrove"), [{ key: "SyncAll", value: "false" }]), withCompany("b", "Northwind", OTHER)];
    const c = chooseConfiguration({ configs, targetTenantId: T, targetOrganization: undefined });
    expect(c).toMatchObject({ absent: false, confirmed: false, basis: "only-candidate", config: { servicePrincipal: { id: "a" } } });
    expect(c.evidence).toContain("its secrets have no CompanyId");
  });

  it("names the target organization: its displayName or a verified domain's first label, as a whole word", () => {
    expect(choose([unread("a", "Contoso to Fabrikam"), unread("b", "Northwind")])).toMatchObject({
      basis: "display-name",
      config: { servicePrincipal: { id: "a" } },
    });
    expect(choose([unread("a", "fabrikam.onmicrosoft.com sync"), unread("b", "Northwind")])).toMatchObject({ basis: "display-name" });
    // "Fabrikamish" is not "Fabrikam": nothing tells the two apart.
    expect(choose([unread("a", "Fabrikamish"), unread("b", "Northwind")])).toMatchObject({ config: undefined, absent: false });
  });

  it("two candidates both named after the target cannot be told apart", () => {
    const c = choose([unread("a", "Fabrikam"), unread("b", "Fabrikam (old)")]);
    expect(c.config).toBeUndefined();
    expect(c.evidence).toContain("name it with --configuration");
  });

  it("a named configuration wins, by id first, then displayName; a name that matches none or two is not a choice", () => {
    const configs = [unread("a", "Fabrikam"), withCompany("b", "b", OTHER), unread("c", "Dup"), unread("d", "dup")];
    expect(choose(configs, { named: "B" })).toMatchObject({ confirmed: true, basis: "named", config: { servicePrincipal: { id: "b" } } });
    expect(choose(configs, { named: "fabrikam" })).toMatchObject({ confirmed: true, config: { servicePrincipal: { id: "a" } } });
    expect(choose(configs, { named: "nope" })).toMatchObject({ config: undefined, absent: false });
    expect(choose(configs, { named: "dup" }).evidence).toContain("matches 2 configurations");
  });

  it("unreadable secrets leave SyncAll and notifications unknown, never false", () => {
    expect(unread("a", "x")).toMatchObject({ secretsRead: false, syncAll: undefined, notifications: { ok: true, value: undefined }, companyId: undefined });
  });
});

describe("jobRunState", () => {
  it.each([
    ["NotRun", "Active", "pending"],
    ["NotRun", "Disabled", "stopped"],
    ["Paused", "Disabled", "stopped"],
    ["Active", "Active", "running"],
    ["Active", "Paused", "stopped"],
    ["Quarantine", "Active", "running"],
  ])("status %s, schedule %s: %s", (code, state, expected) => {
    expect(jobRunState({ id: "j", status: { code }, schedule: { state } } as never).state).toBe(expected);
  });
});
