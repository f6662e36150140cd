// Source tenant: SkipOutOfScopeDeletions does nothing for cross-tenant synchronization; out-of-scope users are still deleted.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration, requireSecrets } from "../../src/engine/preconditions.js";
import type { AffectedObject } from "../../src/engine/types.js";
import { jobOf, schemaOf, userMapping } from "../../src/model/configuration.js";
import { homeAddressFromUpn } from "../../src/model/correlate.js";
import { withoutSuccesses } from "../../src/model/log-queries.js";
import type { LogObject } from "../../src/model/log-store.js";
import type { Pair } from "../../src/model/pair.js";
import type { User } from "../../src/snapshot/graph-types.js";

const SECRET = "SkipOutOfScopeDeletions";

/** Users soft-deleted in the target whose #EXT# UPN encodes an address on one of the source's verified domains. */
function deletedFromSource(pair: Pair): User[] | undefined {
  const deleted = pair.maybe("target.deletedUsers");
  const orgs = pair.maybe("source.organization");
  if (!deleted || !orgs) return undefined;
  const domains = new Set(orgs.flatMap((o) => (o.verifiedDomains ?? []).map((d) => (d.name ?? "").toLowerCase())));
  return deleted.filter((u) => {
    const home = homeAddressFromUpn(u.userPrincipalName, true);
    return home !== undefined && domains.has(home.slice(home.lastIndexOf("@") + 1).toLowerCase());
  });
}

/**
 * Users the service deleted or disabled in the window, from the Delete/Disable success entries of the provisioning logs;
 * undefined when the logs were not collected or were collected without successes (then they cannot show a deletion).
 */
function loggedDeletions(pair: Pair): LogObject[] | undefined {
  const logs = pair.logs();
  if (!logs || withoutSuccesses(pair.entry("source.provisioningLogs"))) return undefined;
  return logs.deletions.done.filter((o) => o.type === "user");
}

/** The deleted users by name, soft-deleted ones first, each once. */
function deletedNames(deleted: User[], logged: LogObject[]): string {
  const names = [
    ...deleted.map((u) => homeAddressFromUpn(u.userPrincipalName, true) ?? u.displayName ?? u.id),
    ...logged.map((o) => o.userPrincipalName ?? o.displayName),
  ];
  const seen = new Set<string>();
  return names.filter((n) => !seen.has(n.toLowerCase()) && seen.add(n.toLowerCase())).join(", ");
}

/** How the logs of the window bear on deletions, for the evidence. */
function logsEvidence(pair: Pair, logged: LogObject[] | undefined): Record<string, unknown> {
  if (logged) {
    const d = pair.logs()?.deletions;
    return {
      loggedDeletions: {
        deleted: d?.deleted ?? 0,
        disabled: d?.disabled ?? 0,
        users: logged.map((o) => ({ id: o.id, userPrincipalName: o.userPrincipalName ?? null })),
      },
    };
  }
  const entry = pair.entry("source.provisioningLogs");
  return { loggedDeletions: entry.status === "ok" ? "logs collected without success entries" : `logs ${entry.status}` };
}

export default defineRule({
  id: "skip-out-of-scope-deletions-ignored",
  title: "SkipOutOfScopeDeletions is set, but does not work for cross-tenant synchronization",
  severity: "medium",
  side: "source",
  area: "configuration",
  symptom:
    "The configuration's SkipOutOfScopeDeletions secret is true, yet users taken out of scope (unassigned, removed from the assigned group, or no longer matching a scoping filter) are still soft-deleted in the target tenant.",
  cause:
    'SkipOutOfScopeDeletions is a setting of application provisioning: "Currently, SkipOutOfScopeDeletions works for application provisioning jobs, but not for Microsoft Entra cross-tenant synchronization." By default, when the scope is reduced, users fall out of scope and are soft deleted, unless Target Object Actions for Delete is disabled on the user object mapping.',
  detection:
    "Reads the SkipOutOfScopeDeletions secret of the configuration for the target and the flowTypes of its user object mapping. Fails when the secret is true and the mapping still has Delete among its target object actions; reports as the deletions it did not stop the users soft-deleted in the target tenant whose #EXT# UPN encodes an address on a verified source domain and, when the provisioning logs were collected with their success entries, the users the service deleted or disabled in the window (Delete/Disable success entries; a StagedDelete held back by the deletion threshold is not a deletion). Passes when the secret is not set or Delete is already off.",
  messages: {
    ignored:
      'Configuration "{{configurationName}}" sets SkipOutOfScopeDeletions = {{value}}, which cross-tenant synchronization ignores: its user mapping still deletes ({{flowTypes}}), so users taken out of scope are soft-deleted in the target.',
    deletionsHappened:
      'Configuration "{{configurationName}}" sets SkipOutOfScopeDeletions = {{value}}, which cross-tenant synchronization ignores: its user mapping still deletes ({{flowTypes}}); {{count}} user(s) from the source are soft-deleted in the target and the provisioning logs of the window show {{logged}} user(s) deleted or disabled by the service: {{users}}.',
    deletionsHappenedInTarget:
      'Configuration "{{configurationName}}" sets SkipOutOfScopeDeletions = {{value}}, which cross-tenant synchronization ignores: its user mapping still deletes ({{flowTypes}}) and {{count}} user(s) from the source are soft-deleted in the target: {{users}} (the provisioning logs of the window were not collected with their successes, so the deletions they record are not counted).',
  },
  fix: {
    summary:
      "Stop out-of-scope deletions the documented way: in the configuration's user object mapping, clear Target Object Actions → Delete (flowTypes without Delete). Restore users already deleted in the target by hand; SkipOutOfScopeDeletions can be removed.",
    portal:
      "Source tenant: Entra admin center → Entra ID → External Identities → Cross-tenant synchronization → Configurations → the configuration → Provisioning → Mappings → Provision Microsoft Entra ID Users → Target Object Actions → clear Delete → Save",
    graph: [
      {
        tenant: "source",
        method: "PUT",
        url: "/v1.0/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}/schema",
        body: '{the schema, with flowTypes "Add, Update" on the user object mapping}',
        permission: "Synchronization.ReadWrite.All",
      },
    ],
  },
  references: [
    {
      title: "Known issues for multitenant organizations",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/multi-tenant-organization-known-issues",
    },
    {
      title: "Skip deletion of user accounts that go out of scope",
      url: "https://learn.microsoft.com/entra/identity/app-provisioning/skip-out-of-scope-deletions",
    },
  ],
  needs: ["source.syncServicePrincipals", "source.syncSecrets", "source.syncJobs", "source.syncSchemas"],
  uses: ["target.deletedUsers", "source.organization", "target.organization", "source.provisioningLogs"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    requireSecrets(pair, ctx, config);
    const value = config.secrets.find((s) => s.key.toLowerCase() === SECRET.toLowerCase())?.value;
    if (value?.trim().toLowerCase() !== "true" && value?.trim() !== "1") return;
    const job = jobOf(pair, config);
    if (!job) return ctx.inconclusive(`Configuration "${config.name}" has no synchronization job, so its user mapping's target object actions are unknown.`);
    const mapping = userMapping(schemaOf(pair, config, job));
    if (!mapping) return ctx.inconclusive("The job's schema has no user object mapping, so its target object actions are unknown.");
    const flowTypes = mapping.flowTypes ?? "Add, Update, Delete";
    if (!/\bdelete\b/i.test(flowTypes)) return;
    const configurationName = config.name;
    const deleted = (deletedFromSource(pair) ?? []).sort((a, b) => (a.displayName ?? a.id).localeCompare(b.displayName ?? b.id));
    const logged = loggedDeletions(pair);
    const objects: AffectedObject[] = [{ id: config.servicePrincipal.id, type: "servicePrincipal", displayName: configurationName }];
    const evidence = {
      servicePrincipalId: config.servicePrincipal.id,
      jobId: job.id,
      secret: { key: SECRET, value },
      flowTypes,
      deletedInTarget: deleted.map((u) => ({ id: u.id, userPrincipalName: u.userPrincipalName ?? null, deletedDateTime: u.deletedDateTime ?? null })),
      ...logsEvidence(pair, logged),
    };
    const data = { configurationName, value, flowTypes, count: deleted.length, users: deletedNames(deleted, logged ?? []) };
    if (logged && (deleted.length > 0 || logged.length > 0))
      ctx.report({ messageId: "deletionsHappened", data: { ...data, logged: logged.length }, objects, evidence });
    else if (deleted.length > 0) ctx.report({ messageId: "deletionsHappenedInTarget", data, objects, evidence });
    else ctx.report({ messageId: "ignored", data: { configurationName, value, flowTypes }, objects, evidence });
  },
});
