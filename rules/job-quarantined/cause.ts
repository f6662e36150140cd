// The cause of a quarantine read from the snapshot: the dominant log error behind an escrow threshold, the deletions behind TooManyDeletes.
import { attributeMapping, schemaOf, userMapping, type SyncConfiguration } from "../../src/model/configuration.js";
import type { Pair } from "../../src/model/pair.js";
import type { SynchronizationJob } from "../../src/snapshot/graph-types.js";
import type { QuarantineReason } from "./reasons.js";

const ESCROW_REASONS = new Set<QuarantineReason>(["EncounteredBaseEscrowThreshold", "EncounteredTotalEscrowThreshold", "EncounteredEscrowProportionThreshold"]);
/** userType values an invitation accepts (howto-analyze-provisioning-logs.md, InvitationCreationFailureInvalidPropertyValue). */
const USER_TYPES = new Set(["member", "guest"]);
const NAMES = 5;

export interface QuarantineCause {
  text: string;
  evidence: Record<string, unknown>;
}

const names = (objects: { displayName: string }[]) =>
  objects
    .slice(0, NAMES)
    .map((o) => o.displayName)
    .join(", ") + (objects.length > NAMES ? ", …" : "");

/** The userType mapping's constant when it is neither Member nor Guest (a mapping that makes every invitation invalid). */
function badUserTypeConstant(pair: Pair, config: SyncConfiguration, job: SynchronizationJob): string | undefined {
  if (!pair.has("source.syncSchemas")) return undefined;
  const source = attributeMapping(userMapping(schemaOf(pair, config, job)), "userType")?.source;
  if (source?.type?.toLowerCase() !== "constant") return undefined;
  const value = (source.expression ?? source.name ?? "")
    .trim()
    .replace(/^"(.*)"$/s, "$1")
    .trim();
  return USER_TYPES.has(value.toLowerCase()) ? undefined : value;
}

function escrowCause(pair: Pair, config: SyncConfiguration, job: SynchronizationJob): QuarantineCause {
  const logs = pair.has("source.provisioningLogs") ? pair.logs() : undefined;
  if (!logs)
    return {
      text: `the provisioning logs were not collected (${pair.entry("source.provisioningLogs").status}), so the failing objects are unknown.`,
      evidence: {},
    };
  const top = [...logs.openProblems()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))[0];
  if (!top) return { text: "the collected provisioning logs hold no open failure (they may predate the window): see the job's escrow counters.", evidence: {} };
  const userType = badUserTypeConstant(pair, config, job);
  const mapping =
    userType !== undefined
      ? ` The user mapping sets userType to the constant "${userType}", which is neither Member nor Guest: every invitation fails with InvitationCreationFailureInvalidPropertyValue ("UserType is not guest or member"). Map userType to Member or Guest.`
      : "";
  return {
    text: `the dominant error in the provisioning logs is ${top.code} (${top.count} entries for ${top.objects.length} object(s): ${names(top.objects)}).${mapping}`,
    evidence: {
      dominantErrorCode: top.code,
      dominantCount: top.count,
      dominantObjects: top.objects.map((o) => o.id),
      ...(userType !== undefined ? { userTypeConstant: userType } : {}),
    },
  };
}

function deletionCause(pair: Pair, job: SynchronizationJob): QuarantineCause {
  const threshold = job.synchronizationJobSettings?.find((s) => s.name === "QuarantineTooManyDeletesThreshold")?.value ?? "unknown";
  const logs = pair.has("source.provisioningLogs") ? pair.logs() : undefined;
  if (!logs)
    return {
      text: `the provisioning logs were not collected (${pair.entry("source.provisioningLogs").status}), so the deletions are unknown; threshold ${threshold}.`,
      evidence: { threshold },
    };
  const d = logs.deletions;
  const who = d.objects.length ? `: ${names(d.objects)}` : "";
  return {
    text: `the provisioning logs hold ${d.staged} staged deletion(s) or disable(s) (StagedDelete) held back by the threshold of ${threshold}, and ${d.deleted} deletion(s) and ${d.disabled} disable(s) done in the window${who}.`,
    evidence: { threshold, stagedDeletes: d.staged, deleted: d.deleted, disabled: d.disabled, deletionObjects: d.objects.map((o) => o.id) },
  };
}

/** What the data says about the reason; a reason the logs cannot explain says where to look. */
export function quarantineCause(pair: Pair, reason: QuarantineReason, config: SyncConfiguration, job: SynchronizationJob): QuarantineCause {
  if (ESCROW_REASONS.has(reason)) return escrowCause(pair, config, job);
  if (reason === "TooManyDeletes") return deletionCause(pair, job);
  return { text: "the error above is the cause; the provisioning logs add nothing for this reason.", evidence: {} };
}
