// The waiver overlay on a run result: what `check --waivers` adds to findings and results (engine/types.ts knows no waivers).
import type { Finding, RuleResult } from "../engine/types.js";

/** The waiver that accepts (or accepted, until it expired) a finding. */
export interface WaiverMark {
  reason: string;
  owner: string;
  /** YYYY-MM-DD, the last day the waiver applies. */
  expires: string;
}

/** A finding as reporters see it after waivers were applied. */
export type WaivedFinding = Finding & {
  /** Accepted by a waiver (`check --waivers`): shown as waived, not counted toward the exit code. */
  waived?: WaiverMark;
  /** A waiver matched this finding but has expired, so it counts again. */
  waiverExpired?: WaiverMark;
};

/** A rule result as reporters see it after waivers were applied. */
export type WaivedResult = Omit<RuleResult, "findings"> & {
  findings: WaivedFinding[];
  /** Findings accepted by a waiver; the status stays "fail" and failing reporters show them as waived. */
  waivedFindings?: number;
};

export interface WaiverSummary {
  ruleId: string;
  pair: string;
  objectIds?: string[];
  reason: string;
  owner: string;
  expires: string;
  /** Findings of this run it matched. */
  matched: number;
}

export interface ReportWaivers {
  applied: WaiverSummary[];
  expired: WaiverSummary[];
}

/** What applyWaivers marks: a report's results and its waiver list. */
export interface WaivableRun {
  results: WaivedResult[];
  waivers?: ReportWaivers;
}
