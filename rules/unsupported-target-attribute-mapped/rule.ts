// Source tenant: the user mapping writes target attributes that cross-tenant synchronization must not map.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration } from "../../src/engine/preconditions.js";
import { jobOf, schemaOf, userMapping } from "../../src/model/configuration.js";
import { REFERENCES } from "../references.js";

/** Target attributes the known issues say not to map, with why (entra-docs app-provisioning/known-issues.md). */
const UNSUPPORTED: Record<string, string> = {
  othermails: "the target computes otherMails itself and overwrites what is mapped",
  proxyaddresses: "proxyAddresses is read-only as a target attribute",
};

export default defineRule({
  id: "unsupported-target-attribute-mapped",
  title: "The user mapping writes a target attribute cross-tenant synchronization does not support",
  severity: "low",
  side: "source",
  area: "configuration",
  symptom:
    "A mapped attribute never takes the mapped value in the target tenant (otherMails shows the user's own addresses instead), or updates of the user fail on that attribute.",
  cause:
    "The known issues for cross-tenant synchronization list target attributes that must not be mapped: otherMails is computed in the target tenant and should not be a target attribute, and proxyAddresses is read-only as a target attribute. A mapping to them does nothing useful and can make updates fail.",
  detection:
    "Reads the user object mapping of the configuration for the target and fails when an attribute mapping's targetAttributeName is otherMails or proxyAddresses.",
  messages: {
    mapped:
      'The user mapping of configuration "{{configurationName}}" writes {{attributes}}, which cross-tenant synchronization does not support as target attributes: {{reasons}}. Remove these mappings.',
  },
  fix: {
    summary: "Delete the listed attribute mappings from the configuration's user mapping.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → the configuration → Provisioning → Mappings → Provision Microsoft Entra ID Users → the mapping → Delete → Save",
    graph: [
      {
        tenant: "source",
        method: "PUT",
        url: "/v1.0/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}/schema",
        body: "{the schema, without the listed attribute mappings}",
        permission: "Synchronization.ReadWrite.All",
      },
    ],
  },
  references: [REFERENCES.knownIssuesCrossTenant],
  needs: ["source.syncServicePrincipals", "source.syncJobs", "source.syncSchemas"],
  uses: ["source.syncSecrets", "target.organization"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    const job = jobOf(pair, config);
    if (!job) return ctx.notApplicable("The configuration has no synchronization job (see job-not-running).");
    const mapping = userMapping(schemaOf(pair, config, job));
    if (!mapping) return ctx.inconclusive("The job's schema has no user object mapping.");
    const bad = (mapping.attributeMappings ?? []).filter((a) => UNSUPPORTED[(a.targetAttributeName ?? "").toLowerCase()] !== undefined);
    if (bad.length === 0) return;
    const names = bad.map((a) => a.targetAttributeName ?? "");
    const configurationName = config.name;
    ctx.report({
      messageId: "mapped",
      data: { configurationName, attributes: names.join(", "), reasons: names.map((n) => UNSUPPORTED[n.toLowerCase()]).join("; ") },
      objects: [{ id: config.servicePrincipal.id, type: "servicePrincipal", displayName: configurationName }],
      evidence: {
        servicePrincipalId: config.servicePrincipal.id,
        jobId: job.id,
        mappings: bad.map((a) => ({ targetAttributeName: a.targetAttributeName, source: a.source ?? null, flowType: a.flowType ?? null })),
      },
    });
  },
});
