// Source tenant: in-scope users whose mail is shared with another in-scope user, or whose mail or UPN is on an unverified domain.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration } from "../../src/engine/preconditions.js";
import type { AffectedObject } from "../../src/engine/types.js";
import { isExternalUser } from "../../src/model/external-user.js";
import { scopeOf } from "../../src/model/scope.js";
import type { Organization, User } from "../../src/snapshot/graph-types.js";
import { REFERENCES } from "../references.js";

const userObject = (u: User): AffectedObject => ({
  id: u.id,
  type: "user",
  displayName: u.displayName ?? u.id,
  ...(u.userPrincipalName ? { userPrincipalName: u.userPrincipalName } : {}),
});

const byName = (a: User, b: User) => (a.displayName ?? a.id).localeCompare(b.displayName ?? b.id) || a.id.localeCompare(b.id);

const domainOf = (address: string | null | undefined) =>
  address && address.includes("@") ? address.slice(address.lastIndexOf("@") + 1).toLowerCase() : undefined;

/** A domain is verified when the organization lists it, or it is a subdomain of one it lists. */
function verifiedIn(orgs: Organization[]): (domain: string) => boolean {
  const names = orgs.flatMap((o) => (o.verifiedDomains ?? []).map((d) => (d.name ?? "").toLowerCase())).filter(Boolean);
  return (domain) => names.some((n) => domain === n || domain.endsWith(`.${n}`));
}

/** In-scope internal users grouped by mail (case-insensitive), only the mails two or more of them share. */
function sharedMails(users: User[]): [string, User[]][] {
  const byMail = new Map<string, User[]>();
  for (const u of users) {
    const mail = u.mail?.trim().toLowerCase();
    if (mail) byMail.set(mail, [...(byMail.get(mail) ?? []), u]);
  }
  return [...byMail].filter(([, list]) => list.length > 1).sort(([a], [b]) => a.localeCompare(b));
}

export default defineRule({
  id: "source-user-mail-invalid",
  title: "In-scope users share a mail or use an unverified domain",
  severity: "medium",
  side: "source",
  area: "users",
  symptom:
    "Two source users end up as one user in the target tenant (the second one updates the first, or fails as a duplicate), or a user's create fails with InvitationCreationFailureInvalidPropertyValue or a conflict on the proxy address.",
  cause:
    "Cross-tenant synchronization creates the target user from the source user's mail and UPN. The known issues list that two users in the source tenant with the same mail may be matched to the same target user, and that a mail or UPN on a domain the source tenant has not verified is not a usable primary address for the B2B user: the mail must be unique and on a verified domain of the source tenant.",
  detection:
    "Evaluates the scope of the configuration for the target over the collected source users (guests and external users are left to external-users-in-scope) and fails for each mail that two or more in-scope users share (compared case-insensitively), and for each in-scope user whose mail or UPN domain is not one of the source organization's verifiedDomains (a subdomain of a verified domain counts as verified).",
  messages: {
    sharedMail: "{{count}} in-scope source users share the mail {{mail}}: {{users}}. Give each user a unique mail.",
    unverifiedDomain:
      "{{count}} in-scope source user(s) have a mail or UPN on a domain the source tenant has not verified: {{users}}. Verified domains: {{verifiedDomains}}.",
  },
  fix: {
    summary:
      "In the source tenant, give each listed user a unique mail on a verified domain (or verify the domain), then let the next cycle update the target users.",
    portal:
      "Source tenant: Entra admin center → Entra ID → Users → (user) → Edit properties → Email / User principal name (or Entra ID → Domain names → add and verify the domain)",
    graph: [
      { tenant: "source", method: "PATCH", url: "/v1.0/users/{userId}", body: { mail: "{uniqueMailOnVerifiedDomain}" }, permission: "User.ReadWrite.All" },
    ],
  },
  references: [
    REFERENCES.knownIssuesCrossTenant,
    {
      title: "Analyze provisioning logs — Error codes",
      url: "https://learn.microsoft.com/entra/identity/monitoring-health/howto-analyze-provisioning-logs#error-codes",
    },
    { title: "organization resource type — verifiedDomains", url: "https://learn.microsoft.com/graph/api/resources/organization" },
  ],
  needs: ["source.syncServicePrincipals", "source.syncAssignments", "source.users", "source.organization"],
  uses: ["source.groupMembers", "source.syncSecrets", "target.organization"],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    const scope = scopeOf(pair, config);
    const users = [...scope.users.values()].filter((u) => scope.reason(u.id) !== undefined && !isExternalUser(u)).sort(byName);
    for (const [mail, list] of sharedMails(users)) {
      ctx.report({
        messageId: "sharedMail",
        data: { count: list.length, mail, users: list.map((u) => u.userPrincipalName ?? u.displayName ?? u.id).join(", ") },
        objects: list.map(userObject),
        evidence: { mail, userIds: list.map((u) => u.id) },
      });
    }
    const orgs = pair.get("source.organization");
    const verified = verifiedIn(orgs);
    const bad = users
      .map((u) => ({ u, domains: [domainOf(u.mail), domainOf(u.userPrincipalName)].filter((d): d is string => d !== undefined && !verified(d)) }))
      .filter((x) => x.domains.length > 0);
    if (bad.length === 0) return;
    const verifiedDomains = orgs.flatMap((o) => (o.verifiedDomains ?? []).map((d) => d.name ?? "")).filter(Boolean);
    ctx.report({
      messageId: "unverifiedDomain",
      data: {
        count: bad.length,
        users: bad.map(({ u, domains }) => `${u.userPrincipalName ?? u.displayName ?? u.id} (${[...new Set(domains)].join(", ")})`).join(", "),
        verifiedDomains: verifiedDomains.join(", ") || "none",
      },
      objects: bad.map(({ u }) => userObject(u)),
      evidence: {
        verifiedDomains,
        users: bad.map(({ u, domains }) => ({
          userId: u.id,
          mail: u.mail ?? null,
          userPrincipalName: u.userPrincipalName ?? null,
          unverifiedDomains: [...new Set(domains)],
        })),
      },
    });
  },
});
