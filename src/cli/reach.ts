// Before collecting: a TCP connect to each tenant's Graph endpoint, so a refused or unknown host fails once, at once.
import { connect } from "node:net";
import { CLOUDS } from "../config/clouds.js";
import type { Config } from "../config/schema.js";
import { CtsError } from "../errors.js";

const REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name could not be resolved",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

/** The reason the endpoint cannot be reached, or undefined when it accepts a connection (or the probe cannot tell). */
export function probeEndpoint(url: string, timeoutMs = 3000): Promise<string | undefined> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
  return new Promise((resolve) => {
    const socket = connect({ host: u.hostname.replace(/^\[|\]$/g, ""), port });
    const done = (reason: string | undefined) => {
      socket.destroy();
      resolve(reason);
    };
    // A slow or filtered network is left to the Graph client's own timeouts and retries.
    socket.setTimeout(timeoutMs, () => {
      done(undefined);
    });
    socket.once("connect", () => {
      done(undefined);
    });
    socket.once("error", (err: NodeJS.ErrnoException) => {
      done(REASONS[err.code ?? ""]);
    });
  });
}

export const endpointOf = (config: Config, side: "source" | "target"): string => config[side].graphEndpoint ?? CLOUDS[config[side].cloud].graphEndpoint;

/** One line naming each unreachable tenant once, with its URL and the reason; no permission hints (nothing was asked). */
export async function assertReachable(config: Config): Promise<void> {
  const sides = ["source", "target"] as const;
  const reasons = await Promise.all(sides.map((side) => probeEndpoint(endpointOf(config, side))));
  const parts = sides.flatMap((side, i) => (reasons[i] ? [`${side} tenant ${config[side].tenantId} at ${endpointOf(config, side)}: ${reasons[i]}`] : []));
  if (parts.length) throw new CtsError("NETWORK", `cannot reach ${parts.join("; ")}; nothing was collected`);
}

/** After a collection that reached a tenant for no facet: each such tenant once, with its URL, as one line. */
export function unreachableError(config: Config, unreachable: readonly { side: "source" | "target"; code: string; message: string }[], what: string): CtsError {
  const parts = unreachable.map((u) => `${u.side} tenant ${config[u.side].tenantId} at ${endpointOf(config, u.side)}: ${u.message}`);
  return new CtsError("NETWORK", `${what}: cannot reach ${parts.join("; ")}`);
}
