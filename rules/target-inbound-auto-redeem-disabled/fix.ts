// Fix: turn on inbound automatic redemption in the target's partner record for the source (create the record if missing).
import { autoRedeemSteps } from "../../src/remediate/fix-helpers.js";
import type { FixBuilder } from "../../src/remediate/types.js";

export const fix: FixBuilder = ({ pair }) => ({
  steps: autoRedeemSteps(
    pair,
    "target",
    "inboundAllowed",
    `Target: automatically redeem invitations from the source tenant ${pair.source.tenantId} (inbound trust setting).`,
  ),
});
