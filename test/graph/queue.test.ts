// A report read takes the next free slot ahead of queued directory reads, within the one limit per tenant.
import { afterEach, describe, expect, it } from "vitest";
import { fakeToken, parseFault } from "../../src/emulator/index.js";
import { StaticTokenCredential } from "../../src/graph/auth.js";
import { GraphApi } from "../../src/graph/client.js";
import { emulate, SOURCE } from "../emulator/helpers.js";

let emu: Awaited<ReturnType<typeof emulate>> | undefined;
afterEach(() => emu?.stop());

describe("GraphApi queue", () => {
  it("sends a provisioning-log read ahead of directory reads queued before it", async () => {
    emu = await emulate({}, { faults: [parseFault("GET /users delay=800 sticky")] });
    const api = new GraphApi({
      baseUrl: emu.url,
      credential: new StaticTokenCredential(fakeToken(SOURCE)),
      scope: "https://graph.microsoft.com/.default",
      concurrency: 1,
    });
    const order: string[] = [];
    const users = [1, 2].map((n) => api.get("/users").then(() => order.push(`users ${n}`)));
    const logs = api.get("/auditLogs/provisioning?$top=5").then(() => order.push("logs"));
    await Promise.all([...users, logs]);
    // One slot: the first user read holds it; the log read, queued after the second, is sent next, ahead of it.
    expect(order).toEqual(["users 1", "logs", "users 2"]);
    expect(emu.journal.map((j) => (j.path.includes("auditLogs") ? "logs" : "users"))).toEqual(["users", "logs", "users"]);
  });
});
