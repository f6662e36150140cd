// Source tenant: an assigned group's nested groups are not in scope; only its direct user members are provisioned.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration } from "../../src/engine/preconditions.js";
import { scopeOf } from "../../src/model/scope.js";
import { REFERENCES } from "../references.js";

export default defineRule({
  id: "nested-group-assignment",
  title: "An assigned group contains nested groups whose members are not synchronized",
  severity: "medium",
  side: "source",
  area: "configuration",
  symptom:
    "Users who belong to a group nested inside a group assigned to the configuration are never provisioned into the target tenant; provision on demand shows them as not assigned ('Assigned to the application: False'), while direct members of the assigned group are provisioned.",
  cause:
    "When a group is assigned to a cross-tenant synchronization configuration, only users that are direct members of the group are in scope. The assignment doesn't cascade to nested groups.",
  detection:
    "Reads the groups assigned to the configuration whose CompanyId is the target tenant and their direct members. Fails once per assigned group that has groups among its direct members, naming those nested groups.",
  messages: {
    nested:
      'The assigned group "{{parentName}}" ({{parentId}}) contains {{count}} nested group(s): {{nestedGroups}}. Their members are not in scope of the configuration "{{configurationName}}" unless they are also direct members of an assigned group or assigned directly.',
  },
  fix: {
    summary: "Assign each nested group to the configuration directly (or add its users as direct members of the assigned group); the next cycle picks them up.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → the configuration → Users and groups → Add user/group → select the nested group(s) → Assign",
    graph: [
      {
        tenant: "source",
        method: "POST",
        url: "/v1.0/servicePrincipals/{servicePrincipalId}/appRoleAssignedTo",
        body: { principalId: "{groupId}", resourceId: "{servicePrincipalId}", appRoleId: "{appRoleId}" },
        permission: "AppRoleAssignment.ReadWrite.All",
      },
    ],
    powershell:
      'Connect-MgGraph -TenantId "{sourceTenantId}" -Scopes "AppRoleAssignment.ReadWrite.All","Application.Read.All"\n$sp = Get-MgServicePrincipal -ServicePrincipalId "{servicePrincipalId}"\n$role = $sp.AppRoles | Where-Object DisplayName -eq "msiam_access"\nNew-MgServicePrincipalAppRoleAssignedTo -ServicePrincipalId $sp.Id -PrincipalId "{groupId}" -ResourceId $sp.Id -AppRoleId $role.Id',
  },
  references: [REFERENCES.configureStep7Scope, REFERENCES.knownIssues, REFERENCES.grantAppRoleAssignment],
  needs: ["source.syncServicePrincipals", "source.syncAssignments", "source.groupMembers"],
  uses: ["source.syncSecrets", "target.organization", "source.users"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    if (config.syncAll === true) return ctx.notApplicable("The configuration syncs all users (SyncAll = true); group nesting does not limit its scope.");
    const scope = scopeOf(pair, config);
    if (scope.groups.length === 0) return ctx.notApplicable("No group is assigned to the configuration.");
    const members = pair.get("source.groupMembers");
    const unlisted = scope.groups.filter((g) => members[g.id] === undefined);
    if (unlisted.length > 0)
      return ctx.inconclusive(`The members of assigned group(s) ${unlisted.map((g) => g.id).join(", ")} are missing from source.groupMembers.`);
    const configurationName = config.name;
    for (const group of scope.groups) {
      if (group.nestedGroups.length === 0) continue;
      const nested = group.nestedGroups.map((n) => ({ id: n.id, displayName: n.displayName ?? n.id }));
      ctx.report({
        messageId: "nested",
        data: {
          parentName: group.displayName,
          parentId: group.id,
          count: nested.length,
          nestedGroups: nested.map((n) => `"${n.displayName}" (${n.id})`).join(", "),
          configurationName,
        },
        objects: nested.map((n) => ({ id: n.id, type: "group" as const, displayName: n.displayName })),
        evidence: {
          servicePrincipalId: config.servicePrincipal.id,
          parentGroup: { id: group.id, displayName: group.displayName },
          nestedGroups: nested,
          directUserMembers: group.userIds.length,
        },
      });
    }
  },
});
