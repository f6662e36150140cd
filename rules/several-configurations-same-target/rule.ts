// Source tenant: more than one configuration provisions into the target; users in two of them get conflicting writes.
import { defineRule } from "../../src/engine/define.js";
import type { AffectedObject } from "../../src/engine/types.js";
import { configurationsForTargetTenant } from "../../src/model/configuration.js";
import { scopeOf } from "../../src/model/scope.js";
import { REFERENCES } from "../references.js";

export default defineRule({
  id: "several-configurations-same-target",
  title: "Several configurations provision into the same target tenant",
  severity: "high",
  side: "source",
  area: "configuration",
  symptom:
    "The same target users are updated back and forth (for example userType flips between Member and Guest, or attributes alternate) and the provisioning logs of two configurations name the same users.",
  cause:
    'Cross-tenant synchronization is a single-direction peer-to-peer sync: "only one sync instance can exist between a source and a target". When two configurations in the source have the same CompanyId, each writes its own mappings to the same B2B users, so a user in the scope of both gets conflicting writes.',
  detection:
    "Lists the configurations whose CompanyId secret is the target tenant. With two or more, evaluates each one's scope (Sync all users, direct assignments, direct members of assigned groups) over the collected users and fails with the users in more than one scope; without such users it still fails, naming the configurations.",
  messages: {
    overlap:
      "{{count}} configurations provision into the target {{targetTenantId}} ({{configurations}}) and {{userCount}} user(s) are in the scope of more than one of them, so they get conflicting writes: {{users}}. Keep one configuration per target.",
    several:
      "{{count}} configurations provision into the target {{targetTenantId}} ({{configurations}}); Microsoft supports one per source and target. No user is in two scopes yet; merge them into one configuration.",
  },
  fix: {
    summary:
      "Keep one configuration for the target: move the assignments and mappings of the others into it, then delete the others (users left in only one scope stop flipping).",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → the extra configuration → Users and groups (move the assignments) → then Delete the configuration",
    graph: [{ tenant: "source", method: "DELETE", url: "/v1.0/servicePrincipals/{servicePrincipalId}", permission: "Application.ReadWrite.All" }],
  },
  references: [
    REFERENCES.overviewMesh,
    {
      title: "Topologies for cross-tenant synchronization",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-topology",
    },
  ],
  needs: ["source.syncServicePrincipals", "source.syncSecrets", "source.syncAssignments", "source.users"],
  uses: ["source.groupMembers", "target.organization"],
  check(pair, ctx) {
    const configs = configurationsForTargetTenant(pair);
    if (configs.length < 2) return;
    const scopes = configs.map((c) => ({ c, scope: scopeOf(pair, c) }));
    const users = [...(scopes[0]?.scope.users.values() ?? [])];
    const overlapping = users
      .map((u) => ({ u, in: scopes.filter((s) => s.scope.reason(u.id) !== undefined).map((s) => s.c) }))
      .filter((x) => x.in.length > 1)
      .sort((a, b) => (a.u.displayName ?? a.u.id).localeCompare(b.u.displayName ?? b.u.id) || a.u.id.localeCompare(b.u.id));
    const base = {
      count: configs.length,
      targetTenantId: pair.target.tenantId,
      configurations: configs.map((c) => `"${c.name}" (${c.servicePrincipal.id})`).join(", "),
    };
    const spObjects: AffectedObject[] = configs.map((c) => ({ id: c.servicePrincipal.id, type: "servicePrincipal", displayName: c.name }));
    const evidence = {
      servicePrincipalIds: configs.map((c) => c.servicePrincipal.id),
      overlapping: overlapping.map((x) => ({ userId: x.u.id, configurations: x.in.map((c) => c.servicePrincipal.id) })),
    };
    if (overlapping.length === 0) {
      ctx.report({ messageId: "several", data: base, objects: spObjects, evidence });
      return;
    }
    ctx.report({
      messageId: "overlap",
      data: {
        ...base,
        userCount: overlapping.length,
        users: overlapping.map((x) => `${x.u.userPrincipalName ?? x.u.displayName ?? x.u.id} (${x.in.map((c) => c.name).join(" and ")})`).join(", "),
      },
      objects: [
        ...spObjects,
        ...overlapping.map(({ u }): AffectedObject => ({
          id: u.id,
          type: "user",
          displayName: u.displayName ?? u.id,
          ...(u.userPrincipalName ? { userPrincipalName: u.userPrincipalName } : {}),
        })),
      ],
      evidence,
    });
  },
});
