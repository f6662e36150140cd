// Source tenant: with "Sync only assigned users and groups", at least one user must be assigned to the configuration.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration } from "../../src/engine/preconditions.js";
import { assignmentsOf } from "../../src/model/configuration.js";
import { REFERENCES } from "../references.js";

const isUserMember = (o: { "@odata.type"?: string }) => o["@odata.type"] === undefined || o["@odata.type"] === "#microsoft.graph.user";

export default defineRule({
  id: "no-assignments",
  title: "Nobody is assigned to the configuration",
  severity: "high",
  side: "source",
  area: "configuration",
  symptom:
    "The provisioning job runs but nothing is provisioned into the target tenant: the configuration's Users and groups page is empty (or lists only groups without direct user members) while Provisioning → Settings → Scope is 'Sync only assigned users and groups'; provision on demand reports users as not assigned (NotEffectivelyEntitled, 'Assigned to the application: False').",
  cause:
    "With the scope 'Sync only assigned users and groups' (SyncAll = false, the recommended setting) only users assigned to the configuration, directly or as direct members of an assigned group, are in scope. For cross-tenant synchronization to work, at least one internal user must be assigned.",
  detection:
    "Reads the SyncAll secret and the app role assignments of the configuration whose CompanyId is the target tenant. Fails when SyncAll is not true and no user or group is assigned; when group members were collected, also fails when no user is assigned directly and every assigned group has no direct user member.",
  messages: {
    nothingAssigned:
      'The configuration "{{configurationName}}" syncs only assigned users and groups (SyncAll = {{syncAll}}), but nobody is assigned to it, so no user is in scope.',
    noUsersInGroups:
      'The configuration "{{configurationName}}" syncs only assigned users and groups (SyncAll = {{syncAll}}); no user is assigned directly and the assigned group(s) {{groups}} have no direct user members (members of nested groups are not in scope), so no user is in scope.',
  },
  fix: {
    summary:
      "Assign the internal users, or groups whose direct members are those users, to the configuration (app role msiam_access; find its id in the service principal's appRoles).",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → the configuration → Users and groups → Add user/group → select the users or groups → Assign",
    graph: [
      {
        tenant: "source",
        method: "POST",
        url: "/v1.0/servicePrincipals/{servicePrincipalId}/appRoleAssignedTo",
        body: { principalId: "{userId}", resourceId: "{servicePrincipalId}", appRoleId: "{appRoleId}" },
        permission: "AppRoleAssignment.ReadWrite.All",
      },
    ],
    powershell:
      'Connect-MgGraph -TenantId "{sourceTenantId}" -Scopes "AppRoleAssignment.ReadWrite.All","Application.Read.All"\n$sp = Get-MgServicePrincipal -ServicePrincipalId "{servicePrincipalId}"\n$role = $sp.AppRoles | Where-Object DisplayName -eq "msiam_access"\nNew-MgServicePrincipalAppRoleAssignedTo -ServicePrincipalId $sp.Id -PrincipalId "{userId}" -ResourceId $sp.Id -AppRoleId $role.Id',
  },
  references: [REFERENCES.configureStep7Scope, REFERENCES.grantAppRoleAssignment],
  needs: ["source.syncServicePrincipals", "source.syncAssignments"],
  uses: ["source.groupMembers", "source.syncSecrets", "target.organization"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    if (config.syncAll === true) return ctx.notApplicable("The configuration syncs all users (SyncAll = true); assignments do not limit its scope.");
    const sp = config.servicePrincipal;
    const configurationName = config.name;
    const syncAll = config.secrets.find((s) => s.key.toLowerCase() === "syncall")?.value ?? "not set";
    const object = { id: sp.id, type: "servicePrincipal" as const, displayName: configurationName };
    const msiamAccess = (sp.appRoles as { id?: string; displayName?: string }[] | undefined)?.find((r) => r.displayName === "msiam_access")?.id ?? null;
    const assignments = assignmentsOf(pair, config).filter((a) => a.principalType === "User" || a.principalType === "Group");
    if (assignments.length === 0) {
      ctx.report({
        messageId: "nothingAssigned",
        data: { configurationName, syncAll },
        objects: [object],
        evidence: { SyncAll: syncAll, assignments: [], msiamAccessAppRoleId: msiamAccess },
      });
      return;
    }
    if (assignments.some((a) => a.principalType === "User")) return;
    const members = pair.maybe("source.groupMembers");
    if (!members) return;
    const groups = assignments.map((a) => ({ id: a.principalId, displayName: a.principalDisplayName ?? a.principalId, list: members[a.principalId] }));
    // A group whose members were not listed is unknown, not empty.
    if (groups.some((g) => g.list === undefined || g.list.some(isUserMember))) return;
    ctx.report({
      messageId: "noUsersInGroups",
      data: { configurationName, syncAll, groups: groups.map((g) => `"${g.displayName}" (${g.id})`).join(", ") },
      objects: [object],
      evidence: {
        SyncAll: syncAll,
        assignedGroups: groups.map((g) => ({
          id: g.id,
          displayName: g.displayName,
          directMembers: (g.list ?? []).map((m) => ({ id: m.id, type: m["@odata.type"] ?? null, displayName: m.displayName ?? null })),
        })),
        msiamAccessAppRoleId: msiamAccess,
      },
    });
  },
});
