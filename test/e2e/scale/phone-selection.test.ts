// Targeted phone-method reads on a small generated pair: who is read (emulator journal), why, and what the SMS rule says.
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePair } from "../../../bench/generate.js";
import { analyzeSnapshot } from "../../../src/app/analyze.js";
import type { ProvisioningLogEntry, User } from "../../../src/snapshot/graph-types.js";
import { readManifest } from "../../../src/snapshot/store.js";
import { parseFault, type EmulatorOptions } from "../../../src/emulator/index.js";
import { withEmulatorPair } from "../../helpers/emulator-pair.js";

const USERS = 120;
let dir: string;
let pairDir: string;
/** A user the generator leaves out of the target (every 10th), given SMS sign-in and no log entry. */
let smsUser: User;

const lines = <T>(file: string): T[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
const writeLines = (file: string, items: unknown[]) => {
  writeFileSync(file, items.map((i) => JSON.stringify(i)).join("\n") + "\n");
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "cts-phone-selection-"));
  pairDir = path.join(dir, "pair");
  generatePair(pairDir, { users: USERS, groups: 3, logEntries: 200, seed: 5 });
  const users = lines<User>(path.join(pairDir, "source", "users.ndjson"));
  smsUser = users[39]!; // index 39: i % 10 === 9, not in the target; i % 50 !== 49, a group member
  const phonesFile = path.join(pairDir, "source", "phoneMethods.ndjson");
  const phones = lines<{ userId: string; value: unknown[] }>(phonesFile).map((p) =>
    p.userId === smsUser.id
      ? {
          userId: p.userId,
          value: [{ id: "3179e48a-750b-4051-897c-87b9720928f7", phoneNumber: "+1 4255550199", phoneType: "mobile", smsSignInState: "ready" }],
        }
      : p,
  );
  writeLines(phonesFile, phones);
  // Found through the phone methods alone: no log entry names this user.
  const logsFile = path.join(pairDir, "source", "provisioningLogs.ndjson");
  const logs = lines<ProvisioningLogEntry>(logsFile).filter((e) => e.sourceIdentity?.id !== smsUser.id);
  writeLines(logsFile, logs);
  // The manifest counts each NDJSON facet's lines, and a reader refuses a file that disagrees.
  const manifestFile = path.join(pairDir, "manifest.json");
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { facets: Record<string, { count?: number }> };
  manifest.facets["source.provisioningLogs"]!.count = logs.length;
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function collectPair(out: string, allPhoneMethods: boolean, options: Omit<EmulatorOptions, "snapshotDir"> = {}) {
  const em = await withEmulatorPair(pairDir, options, async (pair) => {
    await pair.collect(out, { config: pair.config({ collection: { allPhoneMethods } }), until: pair.window.until, connectionTest: false });
    return pair.emulator;
  });
  const read = em.journal.map((j) => /\/users\/([^/?]+)\/authentication\/phoneMethods/.exec(j.path)?.[1]).filter((id): id is string => Boolean(id));
  return Object.assign(new Set(read), { journal: em.journal });
}

/** The users the selection rule names, worked out from the generated files themselves. */
function expectedReads(): { notInTarget: Set<string>; logged: Set<string> } {
  const targetMails = new Set(lines<User>(path.join(pairDir, "target", "users.ndjson")).map((u) => u.mail!.toLowerCase()));
  const users = lines<User>(path.join(pairDir, "source", "users.ndjson"));
  const notInTarget = new Set(users.filter((u) => !targetMails.has(u.mail!.toLowerCase())).map((u) => u.id));
  const ids = new Set(users.map((u) => u.id));
  const logged = new Set(
    lines<ProvisioningLogEntry>(path.join(pairDir, "source", "provisioningLogs.ndjson"))
      .filter((e) => ["skipped", "failure"].includes(e.provisioningStatusInfo?.status ?? "") && ids.has(e.sourceIdentity?.id ?? ""))
      .map((e) => e.sourceIdentity!.id!)
      .filter((id) => !notInTarget.has(id)),
  );
  return { notInTarget, logged };
}

describe("phone-method reads only where they can change the diagnosis", () => {
  it("reads the users not in the target and those skipped or failed in the logs, says so, and still finds an SMS user not in the target", async () => {
    const out = path.join(dir, "targeted");
    const read = await collectPair(path.join(out, "snapshot"), false);
    const { notInTarget, logged } = expectedReads();
    expect(notInTarget.size).toBe(USERS / 10);
    expect(logged.size).toBeGreaterThan(0);
    expect(read).toEqual(new Set([...notInTarget, ...logged]));
    expect(read.size).toBeLessThan(USERS / 2);

    const entry = (await readManifest(path.join(out, "snapshot"))).facets["source.phoneMethods"];
    expect(entry?.selection).toEqual({
      rule: "targeted",
      read: read.size,
      notRead: USERS - read.size,
      reasons: { notInTarget: notInTarget.size, skippedOrFailedInLogs: logged.size },
    });

    const { report } = await analyzeSnapshot(path.join(out, "snapshot"), out, ["json"], "high");
    const sms = report.results.find((r) => r.ruleId === "sms-sign-in-users-skipped")!;
    expect(sms.status).toBe("fail");
    expect(sms.reason).toContain(`${USERS - read.size} in-scope user(s) matched in the target were not read`);
    const found = (sms.findings[0]!.evidence["users"] as { userId: string; foundBy: string[] }[]).find((u) => u.userId === smsUser.id);
    expect(found?.foundBy).toEqual(["phoneMethods"]);
    expect(sms.findings[0]!.evidence["phoneMethodsNotRead"]).toMatchObject({ count: USERS - read.size });
  });

  it("reads every member with allPhoneMethods, and the rule then has nothing unseen to mention", async () => {
    const out = path.join(dir, "all");
    const read = await collectPair(path.join(out, "snapshot"), true);
    expect(read.size).toBe(USERS);
    const entry = (await readManifest(path.join(out, "snapshot"))).facets["source.phoneMethods"];
    expect(entry?.selection).toEqual({ rule: "all", read: USERS, notRead: 0, reasons: { allPhoneMethods: USERS } });
    const { report } = await analyzeSnapshot(path.join(out, "snapshot"), out, ["json"], "high");
    const sms = report.results.find((r) => r.ruleId === "sms-sign-in-users-skipped")!;
    expect(sms.reason).not.toContain("were not read");
  });

  it("reads the users not in the target while the logs are still paged, and the logged ones once the logs are in", async () => {
    const out = path.join(dir, "overlap");
    // The log page answers 1.5 s late: the not-in-target reads must not wait for it.
    const read = await collectPair(path.join(out, "snapshot"), false, { faults: [parseFault("GET /auditLogs/provisioning delay=1500 times=1")] });
    const logPage = read.journal.find((j) => j.path.includes("/auditLogs/provisioning"))!;
    const phoneReads = read.journal.filter((j) => j.path.includes("/authentication/phoneMethods"));
    const { notInTarget, logged } = expectedReads();
    const idOf = (p: string) => /\/users\/([^/?]+)\//.exec(p)?.[1] ?? "";
    const early = phoneReads.filter((j) => j.at < logPage.at + 1_500).map((j) => idOf(j.path));
    expect(new Set(early)).toEqual(notInTarget);
    const late = phoneReads.filter((j) => j.at >= logPage.at + 1_500).map((j) => idOf(j.path));
    expect(new Set(late)).toEqual(logged);
  });
});
