// Fix: turn on outbound automatic redemption in the source's partner record for the target (create the record if missing).
import { autoRedeemSteps } from "../../src/remediate/fix-helpers.js";
import type { FixBuilder } from "../../src/remediate/types.js";

export const fix: FixBuilder = ({ pair }) => ({
  steps: autoRedeemSteps(
    pair,
    "source",
    "outboundAllowed",
    `Source: automatically redeem invitations with the target tenant ${pair.target.tenantId} (outbound trust setting).`,
  ),
});
