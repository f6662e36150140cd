// Fix (tenant-wide, only with --allow-tenant-wide): let admins and guest inviters invite guests in the target.
import { ORDER, skipped } from "../../src/remediate/fix-helpers.js";
import type { FixBuilder } from "../../src/remediate/types.js";
import rule from "./rule.js";

export const fix: FixBuilder = ({ pair, options }) => {
  const value = pair.get("target.authorizationPolicy").allowInvitesFrom ?? null;
  if (typeof value !== "string" || value.toLowerCase() !== "none")
    return skipped(`allowInvitesFrom is ${String(value)}, not none: check the target's collaboration restrictions by hand`);
  if (!options.allowTenantWide) return skipped("changes the target's tenant-wide guest invite setting: plan with --allow-tenant-wide to include it");
  const request = rule.fix.graph[0]!;
  const path = "/policies/authorizationPolicy";
  return {
    steps: [
      {
        tenant: "target",
        method: "PATCH",
        version: "v1.0",
        path,
        body: request.body,
        permission: request.permission,
        summary: `Target (tenant-wide): allow admins and users in the guest inviter role to invite guests (allowInvitesFrom none → adminsAndGuestInviters).`,
        read: { tenant: "target", version: "v1.0", path },
        precondition: [{ path: "allowInvitesFrom", equals: value }],
        effect: [{ path: "allowInvitesFrom", notIn: ["none", "None"] }],
        undo: { method: "PATCH", version: "v1.0", path, restore: "paths" },
        order: ORDER.tenantSetting,
        tenantWide: true,
      },
    ],
  };
};
