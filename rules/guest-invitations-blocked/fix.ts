// Fix (tenant-wide, only with --allow-tenant-wide): let admins and guest inviters invite guests in the target.
import { ALLOW_ADMIN_INVITES, patchAuthorizationPolicy } from "../../src/engine/fix-recipes.js";
import { ORDER, recipeRequest, skipped } from "../../src/remediate/fix-helpers.js";
import type { FixBuilder } from "../../src/remediate/types.js";

export const fix: FixBuilder = ({ pair, options }) => {
  const value = pair.get("target.authorizationPolicy").allowInvitesFrom ?? null;
  if (typeof value !== "string" || value.toLowerCase() !== "none")
    return skipped(`allowInvitesFrom is ${String(value)}, not none: check the target's collaboration restrictions by hand`);
  if (!options.allowTenantWide) return skipped("changes the target's tenant-wide guest invite setting: plan with --allow-tenant-wide to include it");
  const request = recipeRequest(patchAuthorizationPolicy, {}, ALLOW_ADMIN_INVITES);
  const path = request.path;
  return {
    steps: [
      {
        ...request,
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
