// Redacting a snapshot for sharing: every personal value replaced by a keyed pseudonym, the analysis left intact.
import { rm } from "node:fs/promises";
import path from "node:path";
import { CtsError } from "../errors.js";
import { FACETS, type FacetId, type FacetSpec } from "./facets.js";
import type { FacetData } from "./graph-types.js";
import type { Manifest } from "./manifest.js";
import { Redactor } from "./redactor.js";
import { MANIFEST_FILE, NdjsonWriter, readFacet, readManifest, readNdjson, writeFacet, writeManifest } from "./store.js";
import { GUID } from "../guid.js";

export { Redactor } from "./redactor.js";

type Json = unknown;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === "string";
/** Values that say nothing about a person: flags, numbers, empty, "None". */
const HARMLESS = /^(true|false|none|null|-?\d+(\.\d+)?|)$/i;

/** Keys whose text is a service message (may quote `User 'x'`): replaced with the display-name scan. */
const MESSAGE_KEYS = new Set(["message", "reason", "description", "additionaldetails", "recommendedaction"]);

/** Properties of a user, group or log detail holding an address. */
const ADDRESS_KEYS = new Set([
  "userprincipalname",
  "mail",
  "othermails",
  "proxyaddresses",
  "onpremisesuserprincipalname",
  "reportableidentifier",
  "externaluserprincipalname",
]);
/** Properties holding a display name. */
const NAME_KEYS = new Set(["displayname"]);
/** Properties of a user or group object that are not personal (state, types, dates). */
const USER_SAFE_KEYS = new Set([
  "@odata.type",
  "usertype",
  "creationtype",
  "externaluserstate",
  "externaluserstatechangedatetime",
  "accountenabled",
  "createddatetime",
  "deleteddatetime",
  "showinaddresslist",
  "securityenabled",
  "mailenabled",
  "grouptypes",
  "issoftdeleted",
  "approleassignments",
  "odatatype",
  "matchingattribute",
  "skipreason",
  "active in the source system",
  "assigned to the application",
  "user has the required role",
  "scoping filter evaluation passed",
]);

/** Facets redacted first: their ids and names feed the free-text replacement of everything after. */
const ORDER: FacetId[] = [
  "source.syncServicePrincipals",
  "source.users",
  "target.users",
  "target.deletedUsers",
  "source.groupMembers",
  "source.syncAssignments",
  "source.phoneMethods",
  "source.syncSchemas",
];

/**
 * Rewrites one snapshot's facets. Personal objects (users, members, log identities and details) are allow-listed:
 * known keys get their pseudonym kind, unknown personal-looking values become opaque. Configuration facets are kept
 * as they are (service principal names like "Fabrikam" name the configuration, not a person), with addresses and
 * known object ids inside their strings replaced.
 */
class SnapshotRedactor {
  /** Scoping-filter attributes (lower case): their values in log details are kept, so filters evaluate the same. */
  private readonly scopingAttributes = new Set<string>();

  constructor(readonly r: Redactor) {}

  /** Strings of configuration (policies, jobs, schemas): addresses and known personal ids only. */
  config(v: Json, key = ""): Json {
    if (str(v)) return this.r.text(v, { names: MESSAGE_KEYS.has(key.toLowerCase()) });
    if (Array.isArray(v)) return v.map((x) => this.config(x, key));
    if (!isObj(v)) return v;
    // A policy's usersAndGroups target naming one user or group (not AllUsers).
    const targetType = str(v["targetType"]) ? v["targetType"].toLowerCase() : "";
    // A scoping clause on a personal attribute (displayName EQUALS 'Adele Vance'): its values get the pseudonyms the
    // users get, so the filter still selects the same users.
    const operand = str(v["sourceOperandName"]) ? v["sourceOperandName"].toLowerCase() : "";
    if ((NAME_KEYS.has(operand) || ADDRESS_KEYS.has(operand)) && isObj(v["targetOperand"]) && Array.isArray(v["targetOperand"]["values"])) {
      const values = (v["targetOperand"]["values"] as Json[]).map((x) => (str(x) ? (NAME_KEYS.has(operand) ? this.r.displayName(x) : this.r.address(x)) : x));
      return { ...(this.config({ ...v, targetOperand: null }) as Obj), targetOperand: { ...v["targetOperand"], values } };
    }
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = k === "target" && (targetType === "user" || targetType === "group") && str(x) && GUID.test(x) ? this.r.objectId(x) : this.config(x, k);
    }
    return out;
  }

  /** A value of a personal object under an unknown key: harmless scalars stay, strings become opaque. */
  private unknownValue(v: Json): Json {
    if (str(v)) return HARMLESS.test(v.trim()) ? v : GUID.test(v.trim()) ? this.r.objectId(v) : this.r.opaque(v);
    if (Array.isArray(v)) return v.map((x) => this.unknownValue(x));
    if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.unknownValue(x)]));
    return v;
  }

  private addressValue(v: Json): Json {
    if (str(v)) {
      // proxyAddresses carry a protocol prefix ("SMTP:alex@contoso.com").
      const proto = /^([A-Za-z]{2,8}:)(.+@.+)$/.exec(v);
      return proto ? (proto[1] ?? "") + this.r.address(proto[2] ?? "") : this.r.address(v);
    }
    if (Array.isArray(v)) return v.map((x) => this.addressValue(x));
    return v;
  }

  /** A user, group or directory object (users facets, group members, deleted users). */
  directoryObject(o: Json, kind: "user" | "group" = "user"): Json {
    if (!isObj(o)) return o;
    const type = str(o["@odata.type"]) ? o["@odata.type"].toLowerCase() : "";
    const isGroup = kind === "group" || type.endsWith(".group");
    const out: Obj = {};
    for (const [k, v] of Object.entries(o)) {
      const lk = k.toLowerCase();
      if (lk === "id") out[k] = str(v) ? this.r.objectId(v) : v;
      else if (NAME_KEYS.has(lk)) out[k] = str(v) ? (isGroup ? this.r.groupName(v) : this.r.displayName(v)) : v;
      else if (ADDRESS_KEYS.has(lk)) out[k] = this.addressValue(v);
      else if (lk === "identities" && Array.isArray(v)) out[k] = v.map((i) => this.identity(i));
      else if (USER_SAFE_KEYS.has(lk)) out[k] = v;
      // Attributes a scoping filter tests keep their values, so the filter evaluates the same (see detail()).
      else if (this.scopingAttributes.has(lk)) out[k] = this.config(v, k);
      else out[k] = this.unknownValue(v);
    }
    return out;
  }

  /** An objectIdentity: the sign-in name is an address, the issuer a domain or "ExternalAzureAD". */
  private identity(i: Json): Json {
    if (!isObj(i)) return i;
    const out: Obj = { ...i };
    if (str(i["issuerAssignedId"]))
      out["issuerAssignedId"] = i["issuerAssignedId"].includes("@") ? this.r.address(i["issuerAssignedId"]) : this.r.opaque(i["issuerAssignedId"]);
    return out;
  }

  assignment(a: Json): Json {
    if (!isObj(a)) return a;
    const type = str(a["principalType"]) ? a["principalType"].toLowerCase() : "";
    const personal = type === "user" || type === "group";
    const out: Obj = {};
    for (const [k, v] of Object.entries(a)) {
      if (!personal || !str(v)) out[k] = k === "principalDisplayName" || k === "id" || k === "principalId" ? v : this.config(v, k);
      else if (k === "principalId") out[k] = this.r.objectId(v);
      // An appRoleAssignment id is derived from the principal's id.
      else if (k === "id") out[k] = this.r.opaqueId(v);
      else if (k === "principalDisplayName") out[k] = type === "group" ? this.r.groupName(v) : this.r.displayName(v);
      else out[k] = this.config(v, k);
    }
    return out;
  }

  phoneMethods(p: Json): Json {
    if (!isObj(p)) return p;
    const value = Array.isArray(p["value"])
      ? (p["value"] as Json[]).map((m) => {
          if (!isObj(m)) return m;
          const out: Obj = {};
          // The method id is a fixed type id (3179e48a… is "mobile"); the number is the one personal value.
          for (const [k, v] of Object.entries(m))
            out[k] =
              k === "phoneNumber" && str(v) ? this.r.phoneNumber(v) : k === "id" || k === "phoneType" || k === "smsSignInState" ? v : this.unknownValue(v);
          return out;
        })
      : p["value"];
    return { ...p, ...(str(p["userId"]) ? { userId: this.r.objectId(p["userId"]) } : {}), value };
  }

  /** Remember the attributes the scoping filters test (processed before the logs). */
  learnSchemas(schemas: FacetData["source.syncSchemas"]): void {
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (isObj(v)) {
        if (str(v["sourceOperandName"])) this.scopingAttributes.add(v["sourceOperandName"].toLowerCase());
        Object.values(v).forEach(walk);
      }
    };
    walk(schemas);
  }

  secrets(data: FacetData["source.syncSecrets"]): Json {
    const out: Obj = {};
    for (const [sp, list] of Object.entries(data)) {
      out[sp] = list.map((kv) => {
        if (kv.key.toLowerCase() !== "syncnotificationsettings") return { ...kv, value: this.r.text(kv.value) };
        try {
          const parsed: unknown = JSON.parse(kv.value);
          if (isObj(parsed) && str(parsed["Recipients"])) {
            parsed["Recipients"] = parsed["Recipients"].replace(/[^\s;,]+/g, (a) => (a.includes("@") ? this.r.address(a) : a));
          }
          return { ...kv, value: JSON.stringify(this.config(parsed)) };
        } catch {
          return { ...kv, value: this.r.text(kv.value) };
        }
      });
    }
    return out;
  }

  /** A provisioning-log identity (sourceIdentity, targetIdentity): id, name and details by the identity's type. */
  private logIdentity(i: Json): Json {
    if (!isObj(i)) return i;
    const group = str(i["identityType"]) && i["identityType"].toLowerCase() === "group";
    const out: Obj = {};
    for (const [k, v] of Object.entries(i)) {
      if (k === "id") out[k] = str(v) ? this.r.objectId(v) : v;
      else if (k === "displayName") out[k] = str(v) ? (group ? this.r.groupName(v) : this.r.displayName(v)) : v;
      else if (k === "details") out[k] = this.details(v, group);
      else if (k === "identityType") out[k] = v;
      else out[k] = this.unknownValue(v);
    }
    return out;
  }

  /** Step or identity details: attribute name → value as the service logged it. */
  private details(d: Json, group: boolean): Json {
    if (!isObj(d)) return d;
    const out: Obj = {};
    for (const [k, v] of Object.entries(d)) out[k] = this.detail(k, v, group);
    return out;
  }

  private detail(key: string, v: Json, group: boolean): Json {
    const lk = key.toLowerCase();
    if (!str(v)) return this.unknownValue(v);
    if (lk === "objectid" || lk === "id") return this.r.objectId(v);
    if (NAME_KEYS.has(lk)) return group ? this.r.groupName(v) : this.r.displayName(v);
    if (lk === "reportableidentifier") return this.r.identifier(v);
    if (ADDRESS_KEYS.has(lk)) return this.addressValue(v);
    // Clause keys quote the tested value: on displayName it gets the users' name pseudonym, like the schema's clause.
    if (lk === "scopeevaluationresult")
      return this.r.text(v.replace(/(\.displayName\s+\w+\s+')([^'"]*)(')/gi, (_m, a: string, name: string, b: string) => a + this.r.displayName(name) + b));
    if (lk === "netid") return /^[0-9a-f]+$/i.test(v) ? this.r.hexId(v) : this.r.opaque(v);
    if (lk === "alternativesecurityids") return HARMLESS.test(v.trim()) ? v : this.r.opaque(v);
    if (USER_SAFE_KEYS.has(lk)) return v;
    // The attributes a scoping filter tests keep their values (department, userType…), so tracing a user evaluates
    // the filter the same way; they describe the organisation, and the person they belong to is pseudonymised.
    if (this.scopingAttributes.has(lk)) return this.r.text(v);
    return this.unknownValue(v);
  }

  /** modifiedProperties: {displayName: attribute, oldValue, newValue}. */
  private modifiedProperty(p: Json): Json {
    if (!isObj(p) || !str(p["displayName"])) return this.unknownValue(p);
    const attr = p["displayName"];
    const value = (v: Json): Json =>
      str(v) && ["accountenabled", "usertype", "showinaddresslist"].includes(attr.toLowerCase()) ? v : this.detail(attr, v, false);
    const out: Obj = {};
    for (const [k, v] of Object.entries(p)) out[k] = k === "displayName" ? v : value(v);
    return out;
  }

  logEntry(e: Json): Json {
    if (!isObj(e)) return e;
    const group = isObj(e["sourceIdentity"]) && str(e["sourceIdentity"]["identityType"]) && e["sourceIdentity"]["identityType"].toLowerCase() === "group";
    const out: Obj = {};
    // Identities first: their names are then known to the description scan of the steps.
    for (const k of ["sourceIdentity", "targetIdentity"]) if (k in e) out[k] = this.logIdentity(e[k]);
    for (const [k, v] of Object.entries(e)) {
      if (k === "sourceIdentity" || k === "targetIdentity") continue;
      if (k === "initiatedBy") out[k] = this.initiator(v);
      else if (k === "modifiedProperties") out[k] = Array.isArray(v) ? v.map((p) => this.modifiedProperty(p)) : v;
      else if (k === "provisioningSteps") out[k] = Array.isArray(v) ? v.map((s) => this.step(s, group)) : v;
      else out[k] = this.config(v, k);
    }
    // Keep Graph's key order (diffs of a redacted snapshot against the original stay readable).
    return Object.fromEntries(Object.keys(e).map((k) => [k, out[k]]));
  }

  private step(s: Json, group: boolean): Json {
    if (!isObj(s)) return s;
    const out: Obj = {};
    for (const [k, v] of Object.entries(s))
      out[k] = k === "details" ? this.details(v, group) : k === "description" && str(v) ? this.r.text(v, { names: true }) : this.config(v, k);
    return out;
  }

  /** Who started the entry: the provisioning service (kept) or an admin using provision on demand (pseudonymised). */
  private initiator(i: Json): Json {
    if (!isObj(i) || (str(i["initiatorType"]) && i["initiatorType"].toLowerCase() === "system") || !i["id"]) return this.config(i);
    return {
      ...i,
      ...(str(i["id"]) ? { id: this.r.objectId(i["id"]) } : {}),
      ...(str(i["displayName"]) ? { displayName: this.r.identifier(i["displayName"]) } : {}),
    };
  }

  /** A JSON facet's data. */
  facet(id: FacetId, data: unknown): unknown {
    switch (id) {
      case "source.users":
      case "target.users":
      case "target.deletedUsers":
        return (data as unknown[]).map((u) => this.directoryObject(u));
      case "source.groupMembers":
        return Object.fromEntries(
          Object.entries(data as Obj).map(([g, list]) => [this.r.objectId(g), Array.isArray(list) ? list.map((m) => this.directoryObject(m)) : list]),
        );
      case "source.syncAssignments":
        return Object.fromEntries(Object.entries(data as Obj).map(([sp, list]) => [sp, Array.isArray(list) ? list.map((a) => this.assignment(a)) : list]));
      case "source.phoneMethods":
        return (data as unknown[]).map((p) => this.phoneMethods(p));
      case "source.syncSecrets":
        return this.secrets(data as FacetData["source.syncSecrets"]);
      case "source.provisioningLogs":
      case "source.provisioningOutcomes":
        return (data as unknown[]).map((e) => this.logEntry(e));
      default:
        return this.config(data);
    }
  }

  /** The item function for an NDJSON facet, line by line. */
  item(id: FacetId): (item: unknown) => unknown {
    if (id === "source.provisioningLogs") return (e) => this.logEntry(e);
    if (id === "source.phoneMethods") return (p) => this.phoneMethods(p);
    return (u) => this.directoryObject(u);
  }

  manifest(m: Manifest): Manifest {
    const facets: Manifest["facets"] = {};
    const scrub = <E extends { message: string }>(error: E): E => ({ ...error, message: this.r.text(error.message, { names: true }) });
    for (const [id, entry] of Object.entries(m.facets)) {
      const reads = entry.reads
        ? Object.fromEntries(Object.entries(entry.reads).map(([sp, r]) => [sp, r.error ? { ...r, error: scrub(r.error) } : r]))
        : undefined;
      facets[id] = { ...entry, ...(entry.error ? { error: scrub(entry.error) } : {}), ...(reads ? { reads } : {}) };
    }
    return { ...m, facets, redacted: true };
  }
}

/** Lines written per NDJSON write call. */
const NDJSON_BATCH = 500;

/**
 * Write a redacted copy of the snapshot in `srcDir` to `dstDir` (a complete snapshot: every collected facet, the
 * manifest with `redacted: true`). NDJSON facets stream line by line; JSON facets are read whole. The manifest is
 * written last, so an interrupted run leaves no snapshot. Files of a snapshot already in `dstDir` are removed first,
 * so none of them can survive unredacted. The key is never written anywhere.
 */
export async function redactSnapshot(srcDir: string, dstDir: string, key: Buffer): Promise<Manifest> {
  if (path.resolve(srcDir) === path.resolve(dstDir)) throw new CtsError("USAGE", `the redacted snapshot must go to another folder than ${srcDir}`);
  const manifest = await readManifest(srcDir);
  await Promise.all([MANIFEST_FILE, ...FACETS.map((f) => f.file)].map((f) => rm(path.join(dstDir, f), { force: true })));

  const ok = (spec: FacetSpec) => manifest.facets[spec.id]?.status === "ok";
  const redactor = new Redactor(key, [manifest.source.tenantId, manifest.target.tenantId]);
  const snapshot = new SnapshotRedactor(redactor);
  // Ids that are configuration, never people: the CTS service principals and their apps and app roles.
  if (manifest.facets["source.syncServicePrincipals"]?.status === "ok") {
    const sps = await readFacet(srcDir, "source.syncServicePrincipals");
    redactor.preserve(sps.flatMap((sp) => [sp.id, sp.appId ?? "", ...(sp["appRoles"] ?? []).map((r) => r.id ?? "")]));
  }
  if (manifest.facets["source.syncSchemas"]?.status === "ok") snapshot.learnSchemas(await readFacet(srcDir, "source.syncSchemas"));

  const specs = [...FACETS].sort((a, b) => rank(a.id) - rank(b.id));
  for (const spec of specs.filter(ok)) {
    if (spec.format === "ndjson") {
      const redact = snapshot.item(spec.id);
      const writer = await NdjsonWriter.open(path.join(dstDir, spec.file));
      try {
        let batch: unknown[] = [];
        for await (const item of readNdjson(path.join(srcDir, spec.file), { dir: srcDir, what: `facet ${spec.id}` })) {
          batch.push(redact(item));
          if (batch.length >= NDJSON_BATCH) {
            await writer.write(batch);
            batch = [];
          }
        }
        await writer.write(batch);
        await writer.commit();
      } catch (err) {
        await writer.abort();
        throw err;
      }
    } else {
      const data = await readFacet(srcDir, spec.id, manifest.facets[spec.id]);
      await writeFacet(dstDir, spec.id, snapshot.facet(spec.id, data) as never);
    }
  }
  const redacted = snapshot.manifest(manifest);
  await writeManifest(dstDir, redacted);
  return redacted;
}

function rank(id: FacetId): number {
  const i = ORDER.indexOf(id);
  // The logs last: by then every user's and group's name and id is known to the free-text scan.
  return i >= 0 ? i : id === "source.provisioningLogs" ? ORDER.length + 1 : ORDER.length;
}
