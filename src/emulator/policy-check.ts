// The check behind validateCredentials ("Test connection"), computed from the pair's current policies like the service does.
import { sameCloud } from "../config/clouds.js";
import type { EmulatorState } from "./state.js";
import { GraphFault, type Reply } from "./reply.js";

const CODE = "AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure";
export const SOURCE_POLICY_MESSAGE =
  "The source tenant has not enabled automatic user consent with the target tenant. Please enable the outbound cross-tenant access policy for automatic user consent in the source tenant. aka.ms/TroubleshootingCrossTenantSyncPolicyCheck";
export const TARGET_POLICY_MESSAGE =
  "The target tenant has not enabled inbound synchronization with this tenant. Please request the target tenant admin to enable the inbound synchronization on their cross-tenant access policy. Learn more: aka.ms/TroubleshootingCrossTenantSyncPolicyCheck";

/**
 * 204 when the source allows outbound auto-redemption and the target allows inbound auto-redemption and inbound user
 * sync (graph-api.md §9.1); otherwise 400 with the source-side message first. The service reads the policies with its
 * own rights, so a facet we were denied does not make the check fail: then the recorded connection test is replayed.
 */
export function validateCredentials(state: EmulatorState): Reply {
  // Across clouds the outcome also depends on how the configuration was created and on the target's cloud settings,
  // which the policies alone do not show: a recorded cross-cloud failure (ExternalTenantNotFound, TokenExpired) stands.
  const recordedFirst = state.has("source.connectionTest") ? state.data["source.connectionTest"] : null;
  const crossCloud = !sameCloud(state.manifest.source.cloud, state.manifest.target.cloud);
  if (crossCloud && recordedFirst && !recordedFirst.ok && recordedFirst.error && recordedFirst.error.code !== CODE) {
    throw new GraphFault(recordedFirst.status || 400, recordedFirst.error.code, recordedFirst.error.message);
  }
  if (state.has("source.partner") && state.has("target.partner") && state.has("target.identitySynchronization")) {
    const source = state.data["source.partner"];
    const target = state.data["target.partner"];
    const sync = state.data["target.identitySynchronization"];
    if (source?.automaticUserConsentSettings?.outboundAllowed !== true) throw new GraphFault(400, CODE, SOURCE_POLICY_MESSAGE);
    if (target?.automaticUserConsentSettings?.inboundAllowed !== true || sync?.userSyncInbound?.isSyncAllowed !== true) {
      throw new GraphFault(400, CODE, TARGET_POLICY_MESSAGE);
    }
    return { status: 204 };
  }
  const recorded = state.has("source.connectionTest") ? state.data["source.connectionTest"] : null;
  if (recorded) {
    if (recorded.ok) return { status: 204 };
    throw new GraphFault(recorded.status || 400, recorded.error?.code ?? CODE, recorded.error?.message ?? "Test connection failed.");
  }
  throw new GraphFault(500, "NotInSnapshot", "The snapshot holds neither both tenants' sync policies nor a recorded connection test.");
}
