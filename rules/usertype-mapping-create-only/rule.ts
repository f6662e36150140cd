// Source tenant: a userType mapping that is not applied Always leaves existing target B2B users with the wrong user type.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration, requireSchema } from "../../src/engine/preconditions.js";
import type { AttributeMappingSource, User } from "../../src/snapshot/graph-types.js";
import { attributeMapping, userMapping } from "../../src/model/configuration.js";
import { correlateUsers, type Correlation } from "../../src/model/correlate.js";
import { scopeOf } from "../../src/model/scope.js";
import { REFERENCES } from "../references.js";

/** The value of a Constant mapping source: `"Member"` → Member. Undefined for attributes and expressions. */
function constantValue(source: AttributeMappingSource | null | undefined): string | undefined {
  if (source?.type?.toLowerCase() !== "constant") return undefined;
  const raw = (source.expression ?? source.name ?? "").trim();
  const unquoted = raw.replace(/^"(.*)"$/s, "$1").trim();
  return unquoted || undefined;
}

export default defineRule({
  id: "usertype-mapping-create-only",
  title: "userType mapping applies only on create, so existing target users keep another user type",
  severity: "medium",
  side: "source",
  area: "configuration",
  symptom:
    'Users that already existed in the target tenant as B2B users keep their user type (typically Guest) although the configuration maps userType to Member: "If the B2B user already exists in the target tenant, then Member (userType) won\'t be changed to Member, unless the Apply this mapping setting is set to Always."',
  cause:
    "The userType attribute mapping of the configuration is applied only when the user is created (flowType ObjectAddOnly, 'Apply this mapping: Only during object creation', the default). Target users that existed before, or whose type was changed later, are matched and updated but never get the mapped user type.",
  detection:
    "Reads the userType mapping of the user object mapping. When its flowType is not Always, correlates the in-scope source users with the target users (mail, otherMails, #EXT# UPN prefix) and fails when a correlated target user's userType differs from the mapped constant.",
  messages: {
    differs:
      "The userType mapping of configuration {{configName}} is applied {{flowType}} (not Always), and {{count}} existing target user(s) have a user type other than the mapped {{expected}}: {{users}}.",
  },
  fix: {
    summary:
      "Set 'Apply this mapping' of the userType mapping to Always (flowType Always), so the next cycle updates existing users to the mapped user type. With Graph this is a PUT of the whole job schema — use the admin center, or the PowerShell below.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → (the configuration) → Provisioning → Mappings → Provision Microsoft Entra ID Users → userType (Member) → Apply this mapping: Always → OK → Save",
    graph: [],
    powershell:
      '# PUT replaces the whole schema: keep a copy of the GET output before changing it.\nConnect-MgGraph -TenantId "{sourceTenantId}" -Scopes "Synchronization.ReadWrite.All"\n$uri = "https://graph.microsoft.com/v1.0/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}/schema"\n$schema = Invoke-MgGraphRequest -Method GET -Uri $uri\n$schema | ConvertTo-Json -Depth 100 | Set-Content schema-backup.json\nforeach ($rule in $schema.synchronizationRules) { foreach ($m in $rule.objectMappings) { if ($m.sourceObjectName -eq "User") {\n  foreach ($a in $m.attributeMappings) { if ($a.targetAttributeName -eq "userType") { $a.flowType = "Always" } }\n} } }\nInvoke-MgGraphRequest -Method PUT -Uri $uri -Body ($schema | ConvertTo-Json -Depth 100) -ContentType "application/json"',
  },
  references: [
    {
      title: "Configure cross-tenant synchronization — Step 9: Review attribute mappings (userType)",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#step-9-review-attribute-mappings",
    },
    { title: "attributeMapping resource type (flowType)", url: "https://learn.microsoft.com/graph/api/resources/synchronization-attributemapping" },
    REFERENCES.updateSchema,
  ],
  needs: ["source.syncServicePrincipals", "source.syncJobs", "source.syncSchemas", "source.syncAssignments", "source.users", "target.users"],
  uses: ["source.groupMembers", "source.syncSecrets", "target.organization"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    const sp = config.servicePrincipal;
    const { job, schema } = requireSchema(pair, ctx, config);
    const mapping = attributeMapping(userMapping(schema), "userType");
    if (!mapping) return ctx.notApplicable("The user mapping has no userType mapping, so the configuration does not manage the user type.");
    const flowType = mapping.flowType ?? "ObjectAddOnly";
    if (flowType.toLowerCase() === "always") return;
    const expected = constantValue(mapping.source);
    if (!expected) {
      return ctx.inconclusive(
        `The userType mapping is not a constant (source ${mapping.source?.type ?? "?"} ${mapping.source?.expression ?? ""}), so the expected user type cannot be evaluated.`,
      );
    }

    // source.users holds the users in scope; when group membership is known, keep only those the scope confirms.
    const scope = scopeOf(pair, config);
    const membershipKnown = scope.groups.length === 0 || pair.has("source.groupMembers");
    const inScope = pair.get("source.users").filter((u) => !membershipKnown || scope.reason(u.id) !== undefined);
    const differing = correlateUsers(inScope, pair.get("target.users")).filter(
      (c): c is Correlation & { target: User } =>
        c.target !== undefined && typeof c.target.userType === "string" && c.target.userType.toLowerCase() !== expected.toLowerCase(),
    );
    if (differing.length === 0) return;

    ctx.report({
      messageId: "differs",
      data: {
        configName: config.name,
        flowType,
        expected,
        count: differing.length,
        users: differing.map((c) => `${c.target.displayName ?? c.target.id} (${c.target.userType})`).join(", "),
      },
      objects: differing.map((c) => ({
        id: c.target.id,
        type: "user" as const,
        displayName: c.target.displayName ?? c.target.id,
        ...(c.target.userPrincipalName ? { userPrincipalName: c.target.userPrincipalName } : {}),
      })),
      evidence: {
        servicePrincipalId: sp.id,
        jobId: job.id,
        userTypeMapping: { flowType: mapping.flowType ?? null, sourceType: mapping.source?.type ?? null, sourceExpression: mapping.source?.expression ?? null },
        pairs: differing.map((c) => ({
          sourceUserId: c.source.id,
          sourceUserPrincipalName: c.source.userPrincipalName ?? null,
          targetUserId: c.target.id,
          targetUserPrincipalName: c.target.userPrincipalName ?? null,
          targetUserType: c.target.userType ?? null,
          targetExternalUserState: c.target.externalUserState ?? null,
          matchedBy: c.matchedBy ?? null,
        })),
      },
    });
  },
});
