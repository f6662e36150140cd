// The one correlation of source users with target B2B users: by mail, otherMails, or the #EXT# UPN prefix.
import type { User } from "../snapshot/graph-types.js";

export type MatchedBy = "mail" | "otherMails" | "upnPrefix";

export interface Correlation {
  source: User;
  /** The live target user, when one matches. */
  target?: User;
  /** A soft-deleted target user that matches. */
  deleted?: User;
  matchedBy?: MatchedBy;
}

const norm = (s: string | null | undefined): string | undefined => (s ? s.trim().toLowerCase() : undefined);

/**
 * The home address a B2B UPN encodes: `alex.wilber_contoso.com#EXT#@fabrikam.onmicrosoft.com` → `alex.wilber@contoso.com`.
 * Deleted users' UPNs carry their object id (32 hex digits) in front, which is removed first.
 */
export function homeAddressFromUpn(upn: string | null | undefined, deleted = false): string | undefined {
  const u = norm(upn);
  if (!u) return undefined;
  const at = u.indexOf("#ext#@");
  if (at < 0) return undefined;
  let local = u.slice(0, at);
  if (deleted) local = local.replace(/^[0-9a-f]{32}/, "");
  const us = local.lastIndexOf("_");
  if (us <= 0 || us === local.length - 1) return undefined;
  return `${local.slice(0, us)}@${local.slice(us + 1)}`;
}

/** The addresses a source user may be known by in the target. */
function sourceKeys(user: User): string[] {
  return [norm(user.mail), norm(user.userPrincipalName)].filter((x): x is string => Boolean(x));
}

function index(users: readonly User[], deleted: boolean): Map<string, { user: User; by: MatchedBy }> {
  const map = new Map<string, { user: User; by: MatchedBy }>();
  const put = (key: string | undefined, user: User, by: MatchedBy) => {
    if (key && !map.has(key)) map.set(key, { user, by });
  };
  // Strongest key first, so a mail match wins over an otherMails or UPN-prefix match of another user.
  for (const u of users) put(norm(u.mail), u, "mail");
  for (const u of users) for (const m of u.otherMails ?? []) put(norm(m), u, "otherMails");
  for (const u of users) put(homeAddressFromUpn(u.userPrincipalName, deleted), u, "upnPrefix");
  return map;
}

/** Correlate each source user with at most one live and one soft-deleted target user. */
export function correlateUsers(sourceUsers: readonly User[], targetUsers: readonly User[], deletedUsers: readonly User[] = []): Correlation[] {
  const live = index(targetUsers, false);
  const gone = index(deletedUsers, true);
  return sourceUsers.map((source) => {
    const keys = sourceKeys(source);
    const hit = keys.map((k) => live.get(k)).find(Boolean);
    const dead = keys.map((k) => gone.get(k)).find(Boolean);
    return {
      source,
      ...(hit ? { target: hit.user, matchedBy: hit.by } : {}),
      ...(dead ? { deleted: dead.user } : {}),
    };
  });
}
