// `redact`: a pseudonymised copy of a snapshot for sharing; also the key and `--redact` helpers of analyze, diagnose and demo.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Argv, CommandModule } from "yargs";
import { CtsError } from "../errors.js";
import { Redactor, redactSnapshot } from "../snapshot/redact.js";
import type { GlobalArgs } from "./options.js";
import { info } from "./output.js";
import { registerSecret } from "../graph/scrub.js";
import { isGuid } from "../guid.js";

export const REDACT_KEY_ENV = "CTS_DOCTOR_REDACT_KEY";
const MIN_KEY_BYTES = 16;

/** The `--redact` option of analyze, diagnose and demo. */
export function withRedactOption<T>(y: Argv<T>) {
  return y.option("redact", {
    type: "boolean",
    default: false,
    describe: `pseudonymise UPNs, mail addresses, display names and object ids in the snapshot and every report (key from ${REDACT_KEY_ENV}, else generated and printed once to stderr)`,
  });
}

/** A key given as hex or base64 (standard or URL-safe); undefined when it is neither. */
function decodeKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-f]+$/i.test(t) && t.length % 2 === 0) return Buffer.from(t, "hex");
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) return Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  return undefined;
}

/**
 * The redaction key: from CTS_DOCTOR_REDACT_KEY (hex or base64, at least 16 bytes), else a new random one printed
 * once to stderr — the only place it ever appears; it is never written to a file.
 */
export function redactionKey(env: NodeJS.ProcessEnv = process.env, stderr: (line: string) => void = (l) => process.stderr.write(l)): Buffer {
  const given = env[REDACT_KEY_ENV];
  if (given !== undefined && given.trim() !== "") {
    registerSecret(given.trim());
    const key = decodeKey(given);
    if (!key || key.length < MIN_KEY_BYTES) throw new CtsError("USAGE", `${REDACT_KEY_ENV} must be hex or base64 of at least ${MIN_KEY_BYTES} bytes`);
    return key;
  }
  const key = randomBytes(32);
  // Printed even with --quiet: without it the pseudonyms can never be traced back by the organisation.
  stderr(`Redaction key (keep it to re-identify, never share it): ${key.toString("hex")}\n`);
  return key;
}

/** Redact `snapshotDir` into OUT/snapshot (refusing to overwrite the input) and return that folder. */
export async function redactInto(snapshotDir: string, outDir: string, key: Buffer, out: GlobalArgs): Promise<string> {
  const dst = path.join(outDir, "snapshot");
  await redactSnapshot(snapshotDir, dst, key);
  info(out, `Redacted snapshot written to ${dst}`);
  return dst;
}

/**
 * Collect into a private temporary folder, redact it into OUT/snapshot, and delete the unredacted copy whatever
 * happens: with --redact no unredacted facet is left on disk.
 */
export async function collectRedacted<T>(outDir: string, key: Buffer, out: GlobalArgs, collectInto: (dir: string) => Promise<T>): Promise<T> {
  const raw = await mkdtemp(path.join(tmpdir(), "cts-doctor-unredacted-"));
  try {
    const result = await collectInto(raw);
    await redactInto(raw, outDir, key, out);
    return result;
  } finally {
    await rm(raw, { recursive: true, force: true });
  }
}

type Args = GlobalArgs & { snapshot?: string; out?: string; lookup?: string[] };

export const redactCommand: CommandModule<GlobalArgs, Args> = {
  command: "redact [snapshot]",
  describe: "Write a copy of a snapshot with UPNs, addresses, names and object ids pseudonymised, for sharing",
  builder: (y) =>
    y
      .positional("snapshot", { type: "string", describe: "snapshot folder (from collect)" })
      .option("out", { type: "string", describe: "folder for the redacted snapshot" })
      .option("lookup", { type: "string", array: true, describe: `print the pseudonym of an address, object id or display name (key from ${REDACT_KEY_ENV})` })
      .example("$0 redact snap --out snap-redacted", "share snap-redacted; keep the printed key")
      .example(`${REDACT_KEY_ENV}=… $0 redact --lookup alex@contoso.com`, "find a person in a redacted report"),
  handler: async (args) => {
    if (args.lookup?.length) {
      if (!process.env[REDACT_KEY_ENV]) throw new CtsError("USAGE", `--lookup needs the key the snapshot was redacted with in ${REDACT_KEY_ENV}`);
      const r = new Redactor(redactionKey());
      for (const v of args.lookup) {
        const pseudonyms = v.includes("@") ? [r.address(v)] : isGuid(v) ? [r.objectId(v)] : [r.displayName(v), r.groupName(v)];
        process.stdout.write(`${v}\t${pseudonyms.join("\t")}\n`);
      }
      return;
    }
    if (!args.snapshot || !args.out) throw new CtsError("USAGE", "redact: name the snapshot folder and --out (or use --lookup)");
    const key = redactionKey();
    await redactSnapshot(args.snapshot, args.out, key);
    info(args, `Redacted snapshot written to ${args.out}`);
    process.stdout.write(`${args.out}\n`);
  },
};
