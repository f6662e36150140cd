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
