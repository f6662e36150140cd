// Reading a snapshot for the commands: the pair (logs summarised while streamed), and one user's log entries of a large snapshot.
import { loadPair, type Pair } from "../model/pair.js";
import type { ProvisioningLogEntry } from "../snapshot/graph-types.js";
import { streamLogs } from "../snapshot/read.js";

/** The pair of a snapshot folder, through the one snapshot reader (src/snapshot/read.ts). */
export function openSnapshot(dir: string): Promise<Pair> {
  return loadPair(dir);
}

/**
 * Large snapshots keep only a summary of the provisioning logs in memory; read the file once more for the entries
 * that could be this user's (matched by id, UPN or mail in the source identity), so a trace never loads the whole log.
 */
export async function userLogEntries(pair: Pair, dir: string, query: string): Promise<ProvisioningLogEntry[] | undefined> {
  if (!pair.has("source.provisioningLogs") || pair.maybe("source.provisioningLogs") !== undefined) return undefined;
  const q = query.trim().toLowerCase();
  const user = (pair.maybe("source.users") ?? []).find((u) => [u.id, u.userPrincipalName, u.mail].some((v) => v?.toLowerCase() === q));
  const ids = new Set([q, user?.id.toLowerCase()].filter((x): x is string => Boolean(x)));
  const out: ProvisioningLogEntry[] = [];
  for await (const entry of streamLogs(dir, pair.entry("source.provisioningLogs"))) {
    const s = entry.sourceIdentity;
    const upn = s?.details?.["UserPrincipalName"]?.toLowerCase();
    if ((s?.id && ids.has(s.id.toLowerCase())) || (upn && (upn === q || ids.has(upn)))) out.push(entry);
  }
  return out;
}
