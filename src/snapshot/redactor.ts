// Keyed pseudonyms for personal data (addresses, names, object ids, free text): same input and key → same output.
import { createHmac } from "node:crypto";
import { GUID, GUID_SOURCE } from "../guid.js";

/** Addresses and B2B UPNs inside free text. `'` is left out of the local part: the service quotes names as 'x'. */
const TEXT_TOKENS = new RegExp(
  String.raw`\b(User|Group) '([^'\n]{1,256})'|([A-Za-z0-9._%+-]+(?:#EXT#)?@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)|\b(${GUID_SOURCE})\b`,
  "gi",
);
const WORD = /[\p{L}\p{N}]+/gu;
/** Same pattern, used only by scanNames (a regex with /g carries state; one per use keeps them apart). */
const SCAN_WORD = /[\p{L}\p{N}]+/gu;
/** Names shorter than this are not searched for in free text (too many false hits on ordinary words). */
const MIN_SCANNED_NAME = 4;
/** Bound on each memo table, so a log of millions of entries does not grow them without end. */
const MEMO_LIMIT = 200_000;

export interface TextOptions {
  /**
   * Also replace `User 'x'` / `Group 'x'` quotes and every display name pseudonymised so far (descriptions, reasons,
   * messages). Off for structured strings (ScopeEvaluationResult, filter values, configuration), where a person's name
   * is not expected and a group called "None" must not rewrite a filter clause.
   */
  names?: boolean;
}

/**
 * Pure pseudonymisation with a secret key (HMAC-SHA256). Consistent across both tenants and every facet, so the
 * analysis (correlation by address, scope by object id) gives the same results on redacted data. Without the key a
 * pseudonym cannot be turned back; with it, a known address can be looked up by computing its pseudonym.
 */
export class Redactor {
  private readonly memo = new Map<string, string>();
  /** Original → pseudonym of every display name seen, for the free-text scan; keyed by the name's first word. */
  private readonly names = new Map<string, { name: string; offset: number; pseudonym: string }[]>();
  /** Object ids (lower case) that were pseudonymised: only these are replaced when they turn up in free text. */
  private readonly personalIds = new Set<string>();
  private readonly preserved: Set<string>;

  /**
   * @param key at least 16 bytes.
   * @param preserve ids that are never personal and must stay (tenant ids, service principal and app ids), even where
   *   a generic rule would pseudonymise a GUID.
   */
  constructor(
    private readonly key: Buffer,
    preserve: Iterable<string> = [],
  ) {
    if (key.length < 16) throw new Error("redaction key must be at least 16 bytes");
    this.preserved = new Set([...preserve].map((s) => s.toLowerCase()));
  }

  /** Add ids that must never be pseudonymised. */
  preserve(ids: Iterable<string>): void {
    for (const id of ids) if (id) this.preserved.add(id.toLowerCase());
  }

  private mac(kind: string, value: string): Buffer {
    return createHmac("sha256", this.key).update(kind).update("\0").update(value).digest();
  }

  private remember(kind: string, value: string, make: () => string): string {
    const k = `${kind}\0${value}`;
    const known = this.memo.get(k);
    if (known !== undefined) return known;
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    const made = make();
    this.memo.set(k, made);
    return made;
  }

  /** 12 hex digits (48 bits): no collision among a million addresses in practice, which would merge two people. */
  private localPart(lowerAddress: string): string {
    return `u-${this.mac("address", lowerAddress).toString("hex").slice(0, 12)}`;
  }

  /**
   * An e-mail address or UPN. The local part becomes `u-<hmac>`; the domain is kept: a tenant's domains are not
   * personal data, and correlation and the UPN checks compare domains. A B2B UPN (`alex_contoso.com#EXT#@fabrikam…`)
   * is decoded, its home address pseudonymised and re-encoded, so it still matches the source user's pseudonym; a
   * deleted user's 32-hex id prefix is replaced by the pseudonymised id.
   */
  address(value: string): string {
    const s = value.trim();
    if (!s) return value;
    return this.remember("address", s, () => {
      const ext = /^(.*)(#EXT#)@(.+)$/i.exec(s);
      if (ext) {
        let local = ext[1] ?? "";
        let prefix = "";
        const deleted = /^([0-9a-f]{32})(.+_.+)$/i.exec(local);
        if (deleted) {
          const h = (deleted[1] ?? "").toLowerCase();
          prefix = this.objectId(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`).replace(/-/g, "");
          local = deleted[2] ?? "";
        }
        const us = local.lastIndexOf("_");
        const encoded =
          us > 0 && us < local.length - 1
            ? `${this.localPart(`${local.slice(0, us)}@${local.slice(us + 1)}`.toLowerCase())}_${local.slice(us + 1)}`
            : this.localPart(local.toLowerCase());
        return `${prefix}${encoded}${ext[2]}@${ext[3]}`;
      }
      const at = s.lastIndexOf("@");
      if (at <= 0 || at === s.length - 1) return this.localPart(s.toLowerCase());
      return `${this.localPart(s.toLowerCase())}@${s.slice(at + 1)}`;
    });
  }

  /** A value that may be an address, an object id or a name (ReportableIdentifier, initiatedBy.displayName). */
  identifier(value: string): string {
    if (!value.trim()) return value;
    if (value.includes("@")) return this.address(value);
    if (GUID.test(value.trim())) return this.objectId(value.trim());
    return this.displayName(value);
  }

  /** A person's display name → `Person <hmac>`; the same name gives the same pseudonym in both tenants. */
  displayName(value: string): string {
    return this.name(value, "Person");
  }

  /** A group's display name → `Group <hmac>`. */
  groupName(value: string): string {
    return this.name(value, "Group");
  }

  private name(value: string, label: "Person" | "Group"): string {
    const s = value.trim();
    if (!s) return value;
    return this.remember(label, s, () => {
      const pseudonym = `${label} ${this.mac("name", s.toLowerCase()).toString("hex").slice(0, 8)}`;
      this.learnName(s, pseudonym);
      return pseudonym;
    });
  }

  private learnName(name: string, pseudonym: string): void {
    if (name.length < MIN_SCANNED_NAME) return;
    WORD.lastIndex = 0;
    const first = WORD.exec(name);
    if (!first) return;
    const list = this.names.get(first[0]) ?? [];
    if (list.some((n) => n.name === name)) return;
    list.push({ name, offset: first.index, pseudonym });
    // Longest first, so "Lee Gu Jr" wins over "Lee Gu".
    list.sort((a, b) => b.name.length - a.name.length);
    this.names.set(first[0], list);
  }

  /** A user or group object id → a GUID-shaped pseudonym (version 4 layout); ids in the preserve list stay. */
  objectId(value: string): string {
    const s = value.trim().toLowerCase();
    if (!s || this.preserved.has(s)) return value;
    this.personalIds.add(s);
    return this.remember("id", s, () => {
      const b = this.mac("id", s).subarray(0, 16);
      b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
      b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
      const h = b.toString("hex");
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    });
  }

  /** Any other personal value (mailNickname, netId, job title…) → `r-<hmac>`, consistent but meaningless. */
  opaque(value: string): string {
    if (!value.trim()) return value;
    return this.remember("opaque", value, () => `r-${this.mac("opaque", value).toString("hex").slice(0, 10)}`);
  }

  /** A hex identifier (netId, PUID) → hex of the same length and case, so it keeps its shape. */
  hexId(value: string): string {
    const h = this.mac("hex", value.toLowerCase()).toString("hex").repeat(2).slice(0, value.length);
    return value === value.toUpperCase() ? h.toUpperCase() : h;
  }

  /**
   * An opaque Graph id derived from a personal one (an appRoleAssignment id is the principal's id in base64url):
   * base64url of the same length.
   */
  opaqueId(value: string): string {
    if (!value) return value;
    return this.remember("opaqueId", value, () => this.mac("opaqueId", value).toString("base64url").repeat(2).slice(0, value.length));
  }

  /**
   * A phone number: the country code stays (SMS sign-in and regional questions need no more), every other digit is
   * masked: `+1 4255550110` → `+1 **********`.
   */
  phoneNumber(value: string): string {
    const m = /^(\s*\+\d{1,3}\s)(.*)$/.exec(value);
    return m ? (m[1] ?? "") + (m[2] ?? "").replace(/\d/g, "*") : value.replace(/\d/g, "*");
  }

  /**
   * Free text: e-mail addresses and #EXT# UPNs become their pseudonyms, object ids already pseudonymised elsewhere
   * become theirs; with `names`, `User 'x'` / `Group 'x'` quotes and known display names are replaced too.
   */
  text(value: string, options: TextOptions = {}): string {
    if (!value) return value;
    const names = options.names ?? false;
    let out = "";
    let last = 0;
    TEXT_TOKENS.lastIndex = 0;
    for (let m = TEXT_TOKENS.exec(value); m; m = TEXT_TOKENS.exec(value)) {
      let replacement: string;
      if (m[1] !== undefined) {
        if (!names) {
          // Not a quote we handle here: step past the keyword only, so an address inside the quote is still seen.
          TEXT_TOKENS.lastIndex = m.index + m[1].length;
          continue;
        }
        const inner = m[2] ?? "";
        const who = inner.includes("@")
          ? this.address(inner)
          : GUID.test(inner)
            ? this.objectId(inner)
            : m[1].toLowerCase() === "group"
              ? this.groupName(inner)
              : this.displayName(inner);
        replacement = `${m[1]} '${who}'`;
      } else if (m[3] !== undefined) {
        replacement = this.address(m[3]);
      } else {
        const id = m[4] ?? "";
        replacement = this.personalIds.has(id.toLowerCase()) ? this.objectId(id) : id;
      }
      out += (names ? this.scanNames(value.slice(last, m.index)) : value.slice(last, m.index)) + replacement;
      last = m.index + m[0].length;
    }
    const rest = value.slice(last);
    return out + (names ? this.scanNames(rest) : rest);
  }

  /** Replace every known display name in `text` (whole words, case-sensitive). */
  private scanNames(text: string): string {
    if (this.names.size === 0 || !text) return text;
    let out = "";
    let done = 0;
    const word = SCAN_WORD;
    word.lastIndex = 0;
    for (let m = word.exec(text); m; m = word.exec(text)) {
      const candidates = this.names.get(m[0]);
      if (!candidates) continue;
      for (const c of candidates) {
        const start = m.index - c.offset;
        const end = start + c.name.length;
        if (start < done || text.slice(start, end) !== c.name) continue;
        if (/[\p{L}\p{N}]/u.test(text.charAt(end)) || (start > 0 && /[\p{L}\p{N}]/u.test(text.charAt(start - 1)))) continue;
        out += text.slice(done, start) + c.pseudonym;
        done = end;
        word.lastIndex = end;
        break;
      }
    }
    return out + text.slice(done);
  }
}
