// Fix: allow groups (and users) to sync in from the source (beta PATCH identitySynchronization, or PUT after a 404).
import { identitySyncSteps } from "../../src/remediate/fix-helpers.js";
import type { FixBuilder } from "../../src/remediate/types.js";

export const fix: FixBuilder = ({ pair }) => ({
  steps: identitySyncSteps(
    pair,
    { userSyncInbound: true, groupSyncInbound: true },
    `Target: allow groups to sync into this tenant from the source tenant ${pair.source.tenantId}.`,
  ),
});
