// The CTS configurations of the source that provision into other tenants: listed in the report, never analysed as this pair's.
import {
  chooseConfiguration,
  configurationInput,
  namesTarget,
  targetNames,
  type ConfigurationInput,
  type SyncConfiguration,
  type TargetConfiguration,
} from "./configuration.js";
import type { Pair } from "./pair.js";

/**
 * How a configuration was judged to be for another tenant. companyId: its CompanyId secret is another tenant.
 * display-name: its CompanyId is unknown, the configuration for the target was identified, and this one's name does
 * not name the target organization.
 */
export type OtherTenantBasis = "companyId" | "display-name";

export interface OtherTenantConfiguration {
  config: SyncConfiguration;
  /** The tenant it provisions into (its CompanyId), when its secrets say so. */
  targetTenantId: string | undefined;
  basis: OtherTenantBasis;
  /** One sentence: why it is taken for another tenant's. */
  evidence: string;
}

const unknownWhy = (c: SyncConfiguration) => (c.secretsRead ? "its secrets have no CompanyId" : "its secrets could not be read");

function judge(c: SyncConfiguration, target: string, names: string[], chosen: SyncConfiguration | undefined): OtherTenantConfiguration | undefined {
  if (c.companyId !== undefined) {
    if (c.companyId === target) return undefined;
    return { config: c, targetTenantId: c.companyId, basis: "companyId", evidence: `its CompanyId is ${c.companyId}, not the target tenant` };
  }
  // An unknown CompanyId is another tenant's only beside an identified target configuration, and only when the target's
  // names are known and this name is none of them; otherwise it may be this pair's and chooseConfiguration says so.
  if (!chosen || names.length === 0 || namesTarget(c, names) !== undefined) return undefined;
  const evidence = `${unknownWhy(c)}; its name does not name the target, whose configuration is "${chosen.name}" (${chosen.servicePrincipal.id})`;
  return { config: c, targetTenantId: undefined, basis: "display-name", evidence };
}

/** The configurations for other tenants, in the source's order; the target's (chosen) configuration is never one. */
export function chooseOtherTenantConfigurations(
  input: ConfigurationInput,
  chosen: TargetConfiguration = chooseConfiguration(input),
): OtherTenantConfiguration[] {
  const target = input.targetTenantId.toLowerCase();
  const names = targetNames(input.targetOrganization);
  return input.configs.flatMap((c) => {
    if (c === chosen.config) return [];
    const other = judge(c, target, names, chosen.config);
    return other ? [other] : [];
  });
}

/** The configurations of this snapshot's source that are for other tenants. Needs source.syncServicePrincipals. */
export function configurationsForOtherTenants(pair: Pair): OtherTenantConfiguration[] {
  return chooseOtherTenantConfigurations(configurationInput(pair));
}
