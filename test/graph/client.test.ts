// Interop with the real @microsoft/microsoft-graph-client over plain http: paging by nextLink, retries, $batch parsing.
import {
  BatchRequestContent,
  BatchResponseContent,
  Client,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
  type Context,
  type Middleware,
} from "@microsoft/microsoft-graph-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeToken, parseFault } from "../../src/emulator/index.js";
import { emulate, SOURCE, TARGET } from "../emulator/helpers.js";

type Running = Awaited<ReturnType<typeof emulate>>;

/** The SDK's AuthenticationHandler sends no token to http:// hosts, so tests attach it themselves (client-security.md §1.3). */
class Bearer implements Middleware {
  private next!: Middleware;
  constructor(private readonly token: string) {}
  async execute(context: Context): Promise<void> {
    context.options ??= {};
    context.options.headers = { ...(context.options.headers as Record<string, string>), Authorization: `Bearer ${this.token}` };
    return this.next.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

function client(baseUrl: string, tenant: string): Client {
  return Client.initWithMiddleware({
    baseUrl,
    middleware: [new Bearer(fakeToken(tenant)), new RetryHandler(new RetryHandlerOptions(0, 3)), new HTTPMessageHandler()],
  });
}

describe("@microsoft/microsoft-graph-client against the emulator", () => {
  let emu: Running;
  beforeEach(async () => (emu = await emulate({}, { pageSize: 2 })));
  afterEach(() => emu.stop());

  it("collects every page by following absolute nextLinks, with the path-prefix endpoint too", async () => {
    for (const [base, tenant] of [
      [emu.url, SOURCE],
      [`${emu.url}/${SOURCE}`, SOURCE],
    ] as const) {
      const graph = client(base, tenant);
      const origin = new URL(base).origin;
      let res = await graph.api("/users").select(["id", "userType"]).top(999).get();
      const ids: string[] = res.value.map((u: { id: string }) => u.id);
      while (res["@odata.nextLink"]) {
        const link = new URL(res["@odata.nextLink"] as string);
        expect(link.origin).toBe(origin);
        const rest = link.pathname.slice(new URL(base).pathname.replace(/\/$/, "").length);
        const [, version, ...path] = rest.split("/");
        res = await graph
          .api(`/${path.join("/")}${link.search}`)
          .version(version as string)
          .get();
        ids.push(...res.value.map((u: { id: string }) => u.id));
      }
      expect(new Set(ids).size).toBe(7);
    }
  });

  it("retries a throttled request honouring Retry-After and sends Retry-Attempt", async () => {
    emu.addFaults([parseFault("GET /organization 429 times=2 retry-after=0")]);
    const res = await client(emu.url, TARGET).api("/organization").get();
    expect(res.value[0].id).toBe(TARGET);
    expect(emu.journal.map((e) => [e.status, e.retryAttempt])).toEqual([
      [429, undefined],
      [429, "1"],
      [200, "2"],
    ]);
  });

  it("surfaces Graph errors as GraphError with code and request id", async () => {
    const err = await client(emu.url, SOURCE)
      .api("/users/nobody")
      .get()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 404, code: "Request_ResourceNotFound" });
    expect((err as { requestId: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("round-trips a $batch through BatchRequestContent / BatchResponseContent", async () => {
    emu.addFaults([parseFault("GET /subscribedSkus 429 batch retry-after=3")]);
    const content = new BatchRequestContent([
      { id: "org", request: new Request(`${emu.url}/v1.0/organization`, { method: "GET" }) },
      { id: "skus", request: new Request(`${emu.url}/v1.0/subscribedSkus`, { method: "GET" }) },
    ]);
    const raw = await client(emu.url, SOURCE)
      .api("/$batch")
      .post(await content.getContent());
    const responses = new BatchResponseContent(raw).getResponses();
    const org = responses.get("org") as Response;
    expect(org.status).toBe(200);
    expect(((await org.json()) as { value: { id: string }[] }).value[0]?.id).toBe(SOURCE);
    const skus = responses.get("skus") as Response;
    expect(skus.status).toBe(429);
    expect(skus.headers.get("Retry-After")).toBe("3");
  });
});
