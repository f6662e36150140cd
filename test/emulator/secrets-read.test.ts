// The emulator's secrets GET per version: both answer by default; beta-only and none answer 405 as Graph does.
import { afterEach, describe, expect, it } from "vitest";
import { call, emulate, SP_ID } from "./helpers.js";

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function secretsBy(mode: "both" | "beta-only" | "none") {
  const emu = await emulate({}, { secretsRead: mode });
  stop = emu.stop;
  const get = (version: string) => call(emu, `/${version}/servicePrincipals/${SP_ID}/synchronization/secrets`);
  return {
    beta: await get("beta"),
    v1: await get("v1.0"),
    batch: await call(emu, "/v1.0/$batch", {
      method: "POST",
      body: { requests: [{ id: "1", method: "GET", url: `/servicePrincipals/${SP_ID}/synchronization/secrets` }] },
    }),
  };
}

describe("GET /servicePrincipals/{id}/synchronization/secrets", () => {
  it("answers on both versions by default", async () => {
    const { beta, v1 } = await secretsBy("both");
    expect(beta.status).toBe(200);
    expect(v1.status).toBe(200);
    expect(beta.body.value).toEqual(v1.body.value);
    expect(beta.body.value).toContainEqual({ key: "CompanyId", value: expect.any(String) });
  });

  it("beta-only: 405 on v1.0 (also inside $batch) with Graph's error envelope, 200 on beta", async () => {
    const { beta, v1, batch } = await secretsBy("beta-only");
    expect(beta.status).toBe(200);
    expect(v1.status).toBe(405);
    expect(v1.body.error).toMatchObject({
      code: "Request_BadRequest",
      message: "Specified HTTP method is not allowed for the request target.",
      innerError: { "request-id": expect.any(String) },
    });
    expect(batch.body.responses[0].status).toBe(405);
  });

  it("none: 405 on both versions", async () => {
    const { beta, v1 } = await secretsBy("none");
    expect([beta.status, v1.status]).toEqual([405, 405]);
    expect(beta.body.error.code).toBe("Request_BadRequest");
  });
});
