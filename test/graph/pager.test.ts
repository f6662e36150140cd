// The Graph client's one pager against the emulator: maxPages stops early, resumeFrom continues, foreign links are refused.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeToken } from "../../src/emulator/index.js";
import { GraphRequestError } from "../../src/errors.js";
import { StaticTokenCredential } from "../../src/graph/auth.js";
import { GraphApi, type GraphPage } from "../../src/graph/client.js";
import { emulate, SOURCE } from "../emulator/helpers.js";

let emu: Awaited<ReturnType<typeof emulate>>;
beforeEach(async () => (emu = await emulate({}, { pageSize: 2 })));
afterEach(() => emu.stop());

const api = () => new GraphApi({ baseUrl: emu.url, credential: new StaticTokenCredential(fakeToken(SOURCE)), scope: "https://graph.microsoft.com/.default" });

async function all<T>(pages: AsyncGenerator<GraphPage<T>>): Promise<GraphPage<T>[]> {
  const out: GraphPage<T>[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe("GraphApi.pages", () => {
  it("stops after maxPages with the nextLink of the rest, and resumeFrom that link reads exactly the rest", async () => {
    const everything = await api().list<{ id: string }>("/users");
    expect(everything.length).toBeGreaterThan(2);
    const first = await all(api().pages<{ id: string }>("/users", { maxPages: 1 }));
    expect(first).toHaveLength(1);
    expect(first[0]?.value).toHaveLength(2);
    const link = first[0]?.nextLink;
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const rest = await all(api().pages<{ id: string }>("/ignored-when-resuming", { resumeFrom: link }));
    expect(rest.at(-1)?.nextLink).toBeUndefined();
    expect([...(first[0]?.value ?? []), ...rest.flatMap((p) => p.value)].map((u) => u.id)).toEqual(everything.map((u) => u.id));
  });

  it("refuses a resumeFrom link on another origin before sending anything (the token stays on our origin)", async () => {
    const before = emu.journal.length;
    const pages = api().pages("/users", { resumeFrom: "https://graph.example.net/v1.0/users?$skiptoken=x" });
    const err: unknown = await pages.next().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphRequestError);
    expect((err as GraphRequestError).graphCode).toBe("ForeignNextLink");
    expect(emu.journal.length).toBe(before);
  });
});
