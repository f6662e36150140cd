// What `predict` produces: per user the action the next cycle takes, the attribute changes, and what cannot be known.

export const PREDICTED_ACTIONS = ["create", "update", "no-change", "skip", "deprovision", "inconclusive"] as const;
export type PredictedAction = (typeof PREDICTED_ACTIONS)[number];

/** One target attribute the cycle writes (create: every mapped value; update: the ones that differ). */
export interface AttributeChange {
  attribute: string;
  expression: string;
  old: unknown;
  new: unknown;
  /** The target differs from what the mapping writes although the last cycle succeeded: edited there, or it does not flow. */
  drift: boolean;
  /** Why the change may not be written in the next cycle (FlowWhenChanged, …). */
  note?: string;
}

/** A mapped attribute whose value cannot be predicted offline, or that the snapshot does not hold in the target. */
export interface UnknownAttribute {
  attribute: string;
  reason: string;
}

export interface UserPrediction {
  action: PredictedAction;
  displayName: string;
  sourceObjectId?: string;
  sourceUserPrincipalName?: string;
  targetObjectId?: string;
  targetUserPrincipalName?: string;
  /** How the target user was found (mail, otherMails, upnPrefix). */
  matchedBy?: string;
  /** Skip: as the provisioning logs give it; deprovision: what the configuration's settings do; inconclusive: why. */
  reason?: string;
  changes: AttributeChange[];
  unknown: UnknownAttribute[];
}

export interface Prediction {
  servicePrincipalId: string;
  jobId: string;
  /** The job's last execution succeeded (the condition for calling a difference drift). */
  lastCycleSucceeded: boolean;
  counts: Record<PredictedAction, number>;
  /** Deprovisions above the configuration's accidental-deletions threshold stop the job. */
  deleteThreshold?: { value: number; exceeded: boolean };
  users: UserPrediction[];
  /** What the prediction could not know, for the whole run. */
  limits: string[];
}
