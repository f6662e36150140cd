// Configurations for other tenants: another tenant's CompanyId, or an unknown CompanyId whose name is not the target's beside the target's own.
import { describe, expect, it } from "vitest";
import { type SyncConfiguration } from "../../src/model/configuration.js";
import { fabrikam, OTHER, T, unread, withCompany } from "../helpers/configurations.js";
import { chooseOtherTenantConfigurations, configurationsForOtherTenants } from "../../src/model/other-configurations.js";
import { pairFrom } from "../helpers/pair.js";

const others = (configs: SyncConfiguration[], extra: { named?: string; targetOrganization?: typeof fabrikam | undefined } = {}) =>
  chooseOtherTenantConfigurations({ configs, targetTenantId: T, targetOrganization: fabrikam, ...extra }).map((o) => ({
    id: o.config.servicePrincipal.id,
    basis: o.basis,
    targetTenantId: o.targetTenantId,
  }));

describe("chooseOtherTenantConfigurations", () => {
  it("lists a configuration whose CompanyId is another tenant, with that tenant; never the target's own", () => {
    expect(others([withCompany("a", "Fabrikam", T), withCompany("b", "Woodgrove", OTHER.toUpperCase())])).toEqual([
      { id: "b", basis: "companyId", targetTenantId: OTHER },
    ]);
  });

  it("leaves a second configuration with the target's CompanyId to several-configurations-same-target", () => {
    expect(others([withCompany("a", "Fabrikam", T), withCompany("b", "Fabrikam 2", T)])).toEqual([]);
  });

  it("takes an unknown CompanyId for another tenant only beside an identified target configuration and when its name is not the target's", () => {
    expect(others([withCompany("a", "Fabrikam", T), unread("b", "Woodgrove")])).toEqual([{ id: "b", basis: "display-name", targetTenantId: undefined }]);
    // Named for the target: possibly this pair's second configuration, not another tenant's.
    expect(others([withCompany("a", "Sync", T), unread("b", "Contoso to Fabrikam")])).toEqual([]);
    // No configuration identified for the target: the unknown one may be it.
    expect(others([unread("b", "Woodgrove"), withCompany("c", "Northwind", OTHER)])).toEqual([{ id: "c", basis: "companyId", targetTenantId: OTHER }]);
    // The target's names unknown: nothing says "Woodgrove" is not this target.
    expect(others([withCompany("a", "Sync", T), unread("b", "Woodgrove")], { targetOrganization: undefined })).toEqual([]);
  });

  it("with --configuration, the named configuration is the target's and the others are judged beside it", () => {
    expect(others([unread("a", "Sync"), unread("b", "Woodgrove"), withCompany("c", "Northwind", OTHER)], { named: "a" })).toEqual([
      { id: "b", basis: "display-name", targetTenantId: undefined },
      { id: "c", basis: "companyId", targetTenantId: OTHER },
    ]);
  });

  it("says how it was decided", () => {
    const [o] = chooseOtherTenantConfigurations({
      configs: [withCompany("a", "Fabrikam", T), unread("b", "Woodgrove")],
      targetTenantId: T,
      targetOrganization: fabrikam,
    });
    expect(o?.evidence).toBe('its secrets could not be read; its name does not name the target, whose configuration is "Fabrikam" (a)');
  });
});

describe("configurationsForOtherTenants", () => {
  it("finds the Woodgrove configuration of the mto-second-configuration scenario", async () => {
    const pair = await pairFrom("mto-second-configuration");
    expect(configurationsForOtherTenants(pair).map((o) => [o.config.name, o.config.servicePrincipal.id, o.targetTenantId, o.basis])).toEqual([
      ["Woodgrove", "3b7e1f42-8c5d-4e9a-b6f1-2d4c8a9e0f13", "9c5d131d-b1c3-4fc4-9e3f-c6557947d551", "companyId"],
    ]);
  });

  it("finds none in a source with only the target's configuration", async () => {
    expect(configurationsForOtherTenants(await pairFrom("healthy"))).toEqual([]);
  });
});
