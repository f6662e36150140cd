// The Microsoft clouds: Graph endpoint, token scope, login authority and the name used in allowedCloudEndpoints.

export const CLOUD_NAMES = ["global", "usgov", "usgov-dod", "china"] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export interface Cloud {
  name: CloudName;
  label: string;
  graphEndpoint: string;
  scope: string;
  authorityHost: string;
  /** The value another tenant lists in crossTenantAccessPolicy.allowedCloudEndpoints to collaborate with this cloud. */
  cloudEndpoint: string;
}

export const CLOUDS: Record<CloudName, Cloud> = {
  global: {
    name: "global",
    label: "Microsoft Azure commercial",
    graphEndpoint: "https://graph.microsoft.com",
    scope: "https://graph.microsoft.com/.default",
    authorityHost: "https://login.microsoftonline.com",
    cloudEndpoint: "microsoftonline.com",
  },
  usgov: {
    name: "usgov",
    label: "Microsoft Azure Government (GCC High)",
    graphEndpoint: "https://graph.microsoft.us",
    scope: "https://graph.microsoft.us/.default",
    authorityHost: "https://login.microsoftonline.us",
    cloudEndpoint: "microsoftonline.us",
  },
  "usgov-dod": {
    name: "usgov-dod",
    label: "Microsoft Azure Government (DoD)",
    graphEndpoint: "https://dod-graph.microsoft.us",
    scope: "https://dod-graph.microsoft.us/.default",
    authorityHost: "https://login.microsoftonline.us",
    cloudEndpoint: "microsoftonline.us",
  },
  china: {
    name: "china",
    label: "Microsoft Azure operated by 21Vianet",
    graphEndpoint: "https://microsoftgraph.chinacloudapi.cn",
    scope: "https://microsoftgraph.chinacloudapi.cn/.default",
    authorityHost: "https://login.chinacloudapi.cn",
    cloudEndpoint: "partner.microsoftonline.cn",
  },
};

/** Two tenants are in the same cloud for CTS purposes when they share a login authority (GCC High and DoD do). */
export function sameCloud(a: CloudName, b: CloudName): boolean {
  return CLOUDS[a].cloudEndpoint === CLOUDS[b].cloudEndpoint;
}

/** How a source → target pair of clouds stands for cross-tenant synchronization. */
export interface CloudPairSupport {
  kind: "same-cloud" | "cross-cloud";
  supported: boolean;
}

/**
 * The supported pairs (source → target), by cloudEndpoint, both directions listed apart. Same cloud: entra-docs
 * includes/cross-tenant-synchronization-cloud-pairs-include.md (commercial → commercial, Azure Government → Azure
 * Government; "Cross-tenant synchronization isn't supported within the Microsoft Azure operated by 21Vianet cloud",
 * cross-tenant-synchronization-overview.md, "Clouds"). Cross cloud: includes/cross-cloud-synchronization-pairs-include.md
 * (commercial → Azure Government, Azure Government → commercial, commercial → Azure operated by 21Vianet).
 */
export const SUPPORTED_CLOUD_PAIRS: readonly (readonly [string, string])[] = [
  [CLOUDS.global.cloudEndpoint, CLOUDS.global.cloudEndpoint],
  [CLOUDS.usgov.cloudEndpoint, CLOUDS.usgov.cloudEndpoint],
  [CLOUDS.global.cloudEndpoint, CLOUDS.usgov.cloudEndpoint],
  [CLOUDS.usgov.cloudEndpoint, CLOUDS.global.cloudEndpoint],
  [CLOUDS.global.cloudEndpoint, CLOUDS.china.cloudEndpoint],
];

/** Whether cross-tenant synchronization from a tenant in `source` to one in `target` is documented as supported. */
export function cloudPairSupport(source: CloudName, target: CloudName): CloudPairSupport {
  const s = CLOUDS[source].cloudEndpoint;
  const t = CLOUDS[target].cloudEndpoint;
  return { kind: s === t ? "same-cloud" : "cross-cloud", supported: SUPPORTED_CLOUD_PAIRS.some(([a, b]) => a === s && b === t) };
}
