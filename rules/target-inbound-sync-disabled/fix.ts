// Fix: allow users to sync in from the source (PATCH identitySynchronization, or PUT to create it after a 404).
import { identitySyncSteps } from "../../src/remediate/fix-helpers.js";
import type { FixBuilder } from "../../src/remediate/types.js";

export const fix: FixBuilder = ({ pair }) => ({
  steps: identitySyncSteps(pair, { userSyncInbound: true }, `Target: allow users to sync into this tenant from the source tenant ${pair.source.tenantId}.`),
});
