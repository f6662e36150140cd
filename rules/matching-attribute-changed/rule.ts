// Source tenant: the user mapping must match only on alternativeSecurityIds (AltSecIdFromNetId([netId])) with precedence 1.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration, requireSchema } from "../../src/engine/preconditions.js";
import type { AttributeMapping } from "../../src/snapshot/graph-types.js";
import { userMapping } from "../../src/model/configuration.js";
import { REFERENCES } from "../references.js";

const MATCHING_TARGET = "alternativeSecurityIds";
const MATCHING_EXPRESSION = "altsecidfromnetid([netid])";

const squash = (s: string | null | undefined): string => (s ?? "").replace(/\s+/g, "").toLowerCase();

/** The one documented matching attribute: AltSecIdFromNetId([netId]) → alternativeSecurityIds, precedence 1. */
function isDefaultMatching(a: AttributeMapping): boolean {
  return squash(a.targetAttributeName) === squash(MATCHING_TARGET) && a.matchingPriority === 1 && squash(a.source?.expression) === MATCHING_EXPRESSION;
}

const describe = (a: AttributeMapping) => ({
  targetAttributeName: a.targetAttributeName,
  matchingPriority: a.matchingPriority ?? 0,
  sourceExpression: a.source?.expression ?? null,
});

export default defineRule({
  id: "matching-attribute-changed",
  title: "The matching attribute of the user mapping was changed",
  severity: "high",
  side: "source",
  area: "configuration",
  symptom:
    'Saving or provisioning the configuration fails with a `schemaInvalid` error: "The matching attribute can\'t be changed. Attempting to change the matching attribute or adding additional matching attributes will result in a schemaInvalid error."',
  cause:
    "Cross-tenant synchronization matches source users with existing target users only through the internal attribute alternativeSecurityIdentifier: the mapping AltSecIdFromNetId([netId]) → alternativeSecurityIds with matching precedence 1. Changing that mapping, or marking another attribute 'Match objects using this attribute', makes the schema invalid.",
  detection:
    "Reads the user object mapping of the job schema and lists the attribute mappings with matchingPriority > 0. Fails unless there is exactly one, targeting alternativeSecurityIds with priority 1 and the source expression AltSecIdFromNetId([netId]) (case-insensitive).",
  messages: {
    extra:
      "The user mapping of configuration {{configName}} matches on more than alternativeSecurityIds: {{attributes}}. Only AltSecIdFromNetId([netId]) → alternativeSecurityIds (precedence 1) may be a matching attribute.",
    changed:
      "The user mapping of configuration {{configName}} does not match on AltSecIdFromNetId([netId]) → alternativeSecurityIds with precedence 1 (matching attributes: {{attributes}}).",
    noUserMapping: "The schema of configuration {{configName}} has no user object mapping, so no user can be matched or provisioned.",
  },
  fix: {
    summary:
      "Make AltSecIdFromNetId([netId]) → alternativeSecurityIds the only matching attribute (precedence 1): set 'Match objects using this attribute' to No on every other mapping and restore the alternativeSecurityIds mapping (or select 'Restore default mappings'). With Graph this is a PUT of the whole job schema — use the admin center, or the PowerShell below.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → (the configuration) → Provisioning → Mappings → Provision Microsoft Entra ID Users → for each attribute other than alternativeSecurityIds: Edit → Match objects using this attribute: No; alternativeSecurityIds: source AltSecIdFromNetId([netId]), Match objects using this attribute: Yes, Matching precedence: 1 → Save",
    graph: [],
    powershell:
      '# PUT replaces the whole schema: keep a copy of the GET output before changing it.\nConnect-MgGraph -TenantId "{sourceTenantId}" -Scopes "Synchronization.ReadWrite.All"\n$uri = "https://graph.microsoft.com/v1.0/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}/schema"\n$schema = Invoke-MgGraphRequest -Method GET -Uri $uri\n$schema | ConvertTo-Json -Depth 100 | Set-Content schema-backup.json\nforeach ($rule in $schema.synchronizationRules) { foreach ($m in $rule.objectMappings) { if ($m.sourceObjectName -eq "User") {\n  foreach ($a in $m.attributeMappings) { if ($a.targetAttributeName -ne "alternativeSecurityIds") { $a.matchingPriority = 0 } else { $a.matchingPriority = 1 } }\n} } }\n# if the alternativeSecurityIds mapping itself was edited, restore its source to AltSecIdFromNetId([netId]) (see the backup of a healthy schema) before the PUT\nInvoke-MgGraphRequest -Method PUT -Uri $uri -Body ($schema | ConvertTo-Json -Depth 100) -ContentType "application/json"',
  },
  references: [
    {
      title: "Configure cross-tenant synchronization — Step 9: Review attribute mappings",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#step-9-review-attribute-mappings",
    },
    { title: "attributeMapping resource type (matchingPriority)", url: "https://learn.microsoft.com/graph/api/resources/synchronization-attributemapping" },
    REFERENCES.updateSchema,
  ],
  needs: ["source.syncServicePrincipals", "source.syncJobs", "source.syncSchemas"],
  uses: ["source.syncSecrets", "target.organization"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    const sp = config.servicePrincipal;
    const { job, schema } = requireSchema(pair, ctx, config);
    const object = { id: sp.id, type: "servicePrincipal" as const, displayName: config.name };
    const configName = config.name;

    const mapping = userMapping(schema);
    if (!mapping) {
      ctx.report({ messageId: "noUserMapping", data: { configName }, objects: [object], evidence: { jobId: job.id, userObjectMapping: null } });
      return;
    }
    const matching = (mapping.attributeMappings ?? []).filter((a) => (a.matchingPriority ?? 0) > 0);
    const [only] = matching;
    if (matching.length === 1 && only && isDefaultMatching(only)) return;

    const hasDefault = matching.some(isDefaultMatching);
    const offending = matching.filter((a) => !isDefaultMatching(a));
    const altSecId = (mapping.attributeMappings ?? []).find((a) => squash(a.targetAttributeName) === squash(MATCHING_TARGET));
    const list = matching.map((a) => `${a.targetAttributeName} (precedence ${a.matchingPriority}, source ${a.source?.expression ?? "?"})`).join(", ") || "none";
    ctx.report({
      messageId: hasDefault ? "extra" : "changed",
      data: { configName, attributes: list },
      errorCode: "schemaInvalid",
      objects: [object],
      evidence: {
        jobId: job.id,
        objectMapping: mapping.name ?? null,
        offendingMappings: (hasDefault ? offending : matching).map(describe),
        alternativeSecurityIdsMapping: altSecId ? describe(altSecId) : null,
      },
    });
  },
});
