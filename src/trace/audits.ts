// Which target audit events the provisioning service wrote: the initiator is classified here, never in the Graph filter.
import type { DirectoryAudit } from "./types.js";

/** The first-party app the cross-tenant sync service signs its target writes with. */
export const SYNC_SERVICE_APP = { appId: "00000014-0000-0000-c000-000000000000", displayName: "Microsoft.Azure.SyncFabric" } as const;

export type AuditInitiator = "provisioning-service" | "user" | "other-app" | "unknown";

/**
 * Which initiator cross-tenant sync events carry is undocumented, so the request filters on `targetResources` only
 * (a documented directoryAudit filter, docs-contrib `directoryaudit-list.md`) and the event is classified here: the
 * sync app by appId or by name, any other app, a user, or nothing to tell.
 */
export function auditInitiator(audit: DirectoryAudit): AuditInitiator {
  const app = audit.initiatedBy?.app;
  if (app && (app.appId?.toLowerCase() === SYNC_SERVICE_APP.appId || app.displayName?.toLowerCase() === SYNC_SERVICE_APP.displayName.toLowerCase())) {
    return "provisioning-service";
  }
  if (audit.initiatedBy?.user?.id || audit.initiatedBy?.user?.userPrincipalName) return "user";
  return app?.appId || app?.displayName ? "other-app" : "unknown";
}
