// Source tenant: in-scope users with SMS sign-in enabled are skipped by the built-in "Filter external users" scope.
import { defineRule } from "../../src/engine/define.js";
import { requireConfiguration } from "../../src/engine/preconditions.js";
import { describeMissing } from "../../src/engine/missing.js";
import type { AffectedObject } from "../../src/engine/types.js";
import type { SyncConfiguration } from "../../src/model/configuration.js";
import { isExternalUser } from "../../src/model/external-user.js";
import { withoutSuccesses } from "../../src/model/log-queries.js";
import type { Pair } from "../../src/model/pair.js";
import { scopeOf, type Scope } from "../../src/model/scope.js";
import { isSmsSignInReady, MOBILE_PHONE_METHOD_ID, mobileMethod } from "../../src/model/sms-sign-in.js";
import { facetSpec, type FacetId } from "../../src/snapshot/facets.js";
import type { User } from "../../src/snapshot/graph-types.js";

/** Entry ids listed per user in the evidence; the total is always given. */
const MAX_ENTRY_IDS = 20;

const DATA_FACETS: FacetId[] = ["source.provisioningLogs", "source.phoneMethods"];

interface SkippedUser {
  id: string;
  displayName: string;
  userPrincipalName: string | undefined;
  foundBy: ("provisioningLogs" | "phoneMethods")[];
  /** Skip entries in the logs, and the latest ids of them. */
  skipCount: number;
  skipEntryIds: string[];
  lastSkipped?: string;
  smsSignInState?: string;
}

function missingReason(pair: Pair, ids: FacetId[]): string {
  return `Data not collected: ${ids
    .map((id) => {
      const entry = pair.entry(id);
      return describeMissing({
        facet: id,
        status: entry.status,
        code: entry.error?.code,
        message: entry.error?.message,
        permission: entry.permission ?? facetSpec(id).permission,
      });
    })
    .join("; ")}`;
}

/** The source users the rule may name, and which of them count. */
interface SourceView {
  scope: Scope | undefined;
  users: Map<string, User>;
  /** source.users is the in-scope set; without it every user the logs or phone methods name is taken as in scope. */
  inScope: (id: string) => boolean;
  /** A guest or external user fails the same clause by design, SMS sign-in or not (see external-users-in-scope). */
  external: (id: string) => boolean;
  /** The entry for a user, added to `found` on first use. */
  entryFor: (found: Map<string, SkippedUser>, id: string, fallback: { displayName?: string | null; upn?: string | null }) => SkippedUser;
}

function sourceView(pair: Pair, config: SyncConfiguration): SourceView {
  const scope = pair.has("source.syncAssignments") && pair.has("source.users") ? scopeOf(pair, config) : undefined;
  const users: Map<string, User> = scope?.users ?? new Map((pair.maybe("source.users") ?? []).map((u) => [u.id, u]));
  const hasUsers = pair.has("source.users");
  return {
    scope,
    users,
    inScope: (id) => !hasUsers || users.has(id),
    external: (id) => {
      const u = users.get(id);
      return u !== undefined && isExternalUser(u);
    },
    entryFor: (found, id, fallback) => {
      const existing = found.get(id);
      if (existing) return existing;
      const u = users.get(id);
      const user: SkippedUser = {
        id,
        displayName: u?.displayName ?? fallback.displayName ?? id,
        userPrincipalName: u?.userPrincipalName ?? fallback.upn ?? undefined,
        foundBy: [],
        skipCount: 0,
        skipEntryIds: [],
      };
      found.set(id, user);
      return user;
    },
  };
}

/** Users whose most recent log entry is a skip by the "Filter external users" clause (a later success means fixed). */
function addLoggedSkips(pair: Pair, view: SourceView, found: Map<string, SkippedUser>): void {
  for (const skipped of pair.logs()?.smsSkippedUsers() ?? []) {
    if (!view.inScope(skipped.id) || view.external(skipped.id)) continue; // out of scope since, or never synchronized anyway
    const user = view.entryFor(found, skipped.id, { displayName: skipped.displayName, upn: skipped.userPrincipalName });
    user.foundBy.push("provisioningLogs");
    user.skipCount = skipped.count;
    user.skipEntryIds = skipped.lastIds;
    user.lastSkipped = skipped.lastSkipped;
  }
}

/** In-scope users whose mobile phone method has SMS sign-in ready; the current state of the others the logs found. */
function addReadyPhones(pair: Pair, view: SourceView, found: Map<string, SkippedUser>): void {
  for (const { userId, value } of pair.maybe("source.phoneMethods") ?? []) {
    if (!view.inScope(userId) || view.external(userId)) continue;
    const mobile = mobileMethod(value);
    if (!mobile || !isSmsSignInReady(mobile)) {
      // Record the current state of a user the logs found: it tells whether the cause is SMS sign-in.
      const logged = found.get(userId);
      if (logged) logged.smsSignInState = mobile?.smsSignInState ?? "noMobileMethod";
      continue;
    }
    const user = view.entryFor(found, userId, {});
    user.foundBy.push("phoneMethods");
    user.smsSignInState = mobile.smsSignInState ?? undefined;
  }
}

/**
 * A logged skip whose user's mobile method is no longer ready (e.g. just fixed) stays the latest entry until the next
 * cycle; the cause is gone, so it is not reported.
 */
function dropFixedSkips(found: Map<string, SkippedUser>): void {
  for (const [id, u] of found) {
    if (u.foundBy.length === 1 && u.foundBy[0] === "provisioningLogs" && u.smsSignInState !== undefined) found.delete(id);
  }
}

function evidenceOf(pair: Pair, scope: Scope | undefined, users: SkippedUser[], notRead: number): Record<string, unknown> {
  return {
    checked: { provisioningLogs: pair.has("source.provisioningLogs"), phoneMethods: pair.has("source.phoneMethods") },
    ...(notRead > 0 ? { phoneMethodsNotRead: { count: notRead, why: "matched in the target (provisioned) and not skipped or failed in the logs" } } : {}),
    scopingClause: "Filter external users.alternativeSecurityIds EQUALS 'None'",
    // Successes were not collected, so a later success cannot have cleared a logged skip: reported conservatively.
    ...(withoutSuccesses(pair.entry("source.provisioningLogs")) ? { logsCollectedWithoutSuccesses: true } : {}),
    users: users.map((u) => ({
      userId: u.id,
      userPrincipalName: u.userPrincipalName ?? null,
      foundBy: u.foundBy,
      smsSignInState: u.smsSignInState ?? null,
      ...(u.skipCount ? { skippedLogEntries: u.skipCount, logEntryIds: u.skipEntryIds.slice(-MAX_ENTRY_IDS), lastSkipped: u.lastSkipped } : {}),
      ...(scope ? { inScopeBy: scope.reason(u.id) ?? null } : {}),
      fix: `POST /v1.0/users/${u.id}/authentication/phoneMethods/${MOBILE_PHONE_METHOD_ID}/disableSmsSignIn`,
    })),
  };
}

export default defineRule({
  id: "sms-sign-in-users-skipped",
  title: "In-scope users with SMS sign-in enabled are skipped",
  severity: "high",
  side: "source",
  area: "users",
  symptom:
    "Users are skipped from synchronization. The scoping step includes the following filter with status false: \"Filter external users.alternativeSecurityIds EQUALS 'None'\"",
  cause:
    "If SMS sign-in is enabled for a user, they will be skipped by the provisioning service: an SMS sign-in user has alternativeSecurityIds populated, so the configuration's built-in scoping clause 'Filter external users' (alternativeSecurityIds EQUALS 'None') evaluates to false and the user is treated like an external user, which cross-tenant synchronization never provisions.",
  detection:
    "Lists the users whose latest provisioning-log entry is a skip by the 'Filter external users.alternativeSecurityIds EQUALS 'None'' clause (unless their phone methods were read and SMS sign-in is no longer ready: fixed, awaiting the next cycle), and the in-scope users whose mobile phone method (3179e48a-750b-4051-897c-87b9720928f7) has smsSignInState 'ready'. Either source is enough to fail; a pass needs the phone methods (without them the result is inconclusive). Phone methods are read for the in-scope users not matched in the target and those skipped or failed in the logs (all of them with --all-phone-methods); the result says how many matched users were not read.",
  messages: {
    skipped:
      "{{count}} in-scope user(s) are or will be skipped by the 'Filter external users' scoping filter because SMS sign-in is enabled: {{users}}. Disable SMS sign-in for them in the source tenant.",
  },
  notes: {
    notRead:
      "{{count}} in-scope user(s) matched in the target were not read (their phone methods were not collected: read with --all-phone-methods); they are provisioned, so SMS sign-in did not block them.",
  },
  fix: {
    summary: "In the source tenant, disable SMS sign-in on each listed user's mobile phone method; the next cycle provisions them.",
    portal:
      "Source tenant: Entra admin center → Entra ID → Users → (user) → Authentication methods → Phone number (mobile) → Disable SMS sign-in (or remove the user from the SMS sign-in group of the Authentication methods policy: Entra ID → Authentication methods → Policies → SMS → Use for sign-in)",
    graph: [
      {
        tenant: "source",
        method: "POST",
        url: `/v1.0/users/{userId}/authentication/phoneMethods/${MOBILE_PHONE_METHOD_ID}/disableSmsSignIn`,
        permission: "UserAuthMethod-Phone.ReadWrite.All",
      },
    ],
    powershell: [
      "##### Disable SMS Sign-in options for the users",
      "#### Import module",
      "Install-Module Microsoft.Graph.Users.Actions",
      "Install-Module Microsoft.Graph.Identity.SignIns",
      "Import-Module Microsoft.Graph.Users.Actions",
      'Connect-MgGraph -TenantId "{sourceTenantId}" -Scopes "User.Read.All", "Group.ReadWrite.All", "UserAuthenticationMethod.Read.All","UserAuthenticationMethod.ReadWrite","UserAuthenticationMethod.ReadWrite.All"',
      "##### The value for phoneAuthenticationMethodId is 3179e48a-750b-4051-897c-87b9720928f7",
      `$phoneAuthenticationMethodId = "${MOBILE_PHONE_METHOD_ID}"`,
      "#### Get the User Details",
      '$userId = "{userId}"',
      "#### validate the value for SmsSignInState",
      "$smssignin = Get-MgUserAuthenticationPhoneMethod -UserId $userId",
      'if($smssignin.SmsSignInState -eq "ready"){',
      "  #### Disable Sms Sign-In for the user is set to ready",
      "  Disable-MgUserAuthenticationPhoneMethodSmsSignIn -UserId $userId -PhoneAuthenticationMethodId $phoneAuthenticationMethodId",
      '  Write-Host "SMS sign-in disabled for the user" -ForegroundColor Green',
      "}",
      "else{",
      '  Write-Host "SMS sign-in status not set or found for the user " -ForegroundColor Yellow',
      "}",
      "##### End the script",
    ].join("\n"),
  },
  references: [
    {
      title: "Configure cross-tenant synchronization — Troubleshoot: users are skipped because SMS sign-in is enabled",
      url: "https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure#troubleshoot-common-cross-tenant-synchronization-scenarios",
    },
    { title: "phoneAuthenticationMethod: disableSmsSignIn", url: "https://learn.microsoft.com/graph/api/phoneauthenticationmethod-disablesmssignin" },
    { title: "Analyze provisioning logs", url: "https://learn.microsoft.com/entra/identity/monitoring-health/howto-analyze-provisioning-logs" },
  ],
  needs: ["source.syncServicePrincipals"],
  uses: [
    "source.provisioningLogs",
    "source.phoneMethods",
    "source.users",
    "source.syncAssignments",
    "source.groupMembers",
    "source.syncSecrets",
    "target.organization",
  ],
  check(pair, ctx) {
    const config = requireConfiguration(pair, ctx);
    if (!DATA_FACETS.some((id) => pair.has(id))) return ctx.inconclusive(missingReason(pair, DATA_FACETS));
    const view = sourceView(pair, config);
    const found = new Map<string, SkippedUser>();
    addLoggedSkips(pair, view, found);
    addReadyPhones(pair, view, found);
    dropFixedSkips(found);
    // Users matched in the target were not read on purpose: provisioned, so not blocked; said, never a silent pass.
    const notRead = pair.has("source.phoneMethods") ? (pair.entry("source.phoneMethods").selection?.notRead ?? 0) : 0;
    if (notRead > 0) ctx.note("notRead", { count: notRead });
    if (found.size === 0) {
      // Logs show only users the service has processed lately; without the phone methods a pass would rest on half the data.
      if (!pair.has("source.phoneMethods")) return ctx.inconclusive(missingReason(pair, ["source.phoneMethods"]));
      return;
    }
    const users = [...found.values()].sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
    const objects: AffectedObject[] = users.map((u) => ({
      id: u.id,
      type: "user",
      displayName: u.displayName,
      ...(u.userPrincipalName ? { userPrincipalName: u.userPrincipalName } : {}),
    }));
    ctx.report({
      messageId: "skipped",
      data: { count: users.length, users: users.map((u) => u.userPrincipalName ?? u.displayName).join(", ") },
      objects,
      evidence: evidenceOf(pair, view.scope, users, notRead),
    });
  },
});
