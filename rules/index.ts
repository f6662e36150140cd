// The rule registry: explicit and sorted by id; a parity test ties it to the rules/ folders.
import type { Rule } from "../src/engine/types.js";
import sourceOutboundAutoRedeemDisabled from "./source-outbound-auto-redeem-disabled/rule.js";
import targetInboundAutoRedeemDisabled from "./target-inbound-auto-redeem-disabled/rule.js";
import targetInboundSyncDisabled from "./target-inbound-sync-disabled/rule.js";

export const rules = {
  "source-outbound-auto-redeem-disabled": sourceOutboundAutoRedeemDisabled,
  "target-inbound-auto-redeem-disabled": targetInboundAutoRedeemDisabled,
  "target-inbound-sync-disabled": targetInboundSyncDisabled,
} satisfies Record<string, Rule>;

export const ruleList: readonly Rule[] = Object.values(rules) as Rule[];
