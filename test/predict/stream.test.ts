// The streamed prediction on a generated pair of 3,000 users: report.json's section is bounded and still counts every
// user, predict --out writes what the whole prediction rendered at once would, and the what-if streams agree.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePair } from "../../bench/generate.js";
import { registerSecret, SCRUBBED } from "../../src/graph/scrub.js";
import { loadPair, Pair, type FacetValues } from "../../src/model/pair.js";
import { renderPredictCsv } from "../../src/predict/csv.js";
import { predictToFiles, writePredictFiles, type PredictFilesOptions } from "../../src/predict/files.js";
import { predictPair, predictStream, predictWhatIf, withUsers } from "../../src/predict/predict.js";
import { openRenderer } from "../../src/predict/render-thread.js";
import { PredictRenderer } from "../../src/predict/render.js";
import { REPORT_USERS_PER_ACTION, reportPrediction } from "../../src/predict/section.js";
import { PREDICTED_ACTIONS, type Prediction, type UserPrediction } from "../../src/predict/types.js";
import { compareWhatIf, lockstep, WhatIfDiff } from "../../src/predict/what-if.js";
import type { FacetId } from "../../src/snapshot/facets.js";
import type { SynchronizationSchema, User } from "../../src/snapshot/graph-types.js";
import { packageRoot } from "../../src/version.js";

let dir: string;
let pair: Pair;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "cts-predict-stream-"));
  generatePair(path.join(dir, "pair"), { users: 3_000, groups: 4, logEntries: 200, seed: 3 });
  pair = await loadPair(path.join(dir, "pair"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The generated pair with some facets replaced. */
function variant(facets: Partial<Record<FacetId, unknown>>): Pair {
  const values: FacetValues = {};
  for (const id of Object.keys(pair.manifest.facets) as FacetId[]) {
    const v = facets[id] ?? pair.maybe(id);
    if (v !== undefined) (values as Record<string, unknown>)[id] = v;
  }
  return new Pair(pair.manifest, values);
}

/** The section as it was built from the whole list before the stream: a slice per action, drift summed over all. */
function sectionOfWhole(p: Prediction) {
  const users: Record<string, UserPrediction[]> = {};
  const omitted: Record<string, number> = {};
  for (const action of PREDICTED_ACTIONS) {
    const all = p.users.filter((u) => u.action === action);
    if (action === "no-change" || all.length === 0) continue;
    users[action] = all.slice(0, REPORT_USERS_PER_ACTION);
    if (all.length > REPORT_USERS_PER_ACTION) omitted[action] = all.length - REPORT_USERS_PER_ACTION;
  }
  const driftChanges = p.users.flatMap((u) => u.changes).filter((c) => c.drift).length;
  return {
    counts: p.counts,
    lastCycleSucceeded: p.lastCycleSucceeded,
    driftChanges,
    ...(p.deleteThreshold ? { deleteThreshold: p.deleteThreshold } : {}),
    users,
    omitted,
  };
}

describe("report.json's predict section, streamed", () => {
  it("keeps at most 1,000 users per action, counts every user, and puts the rest in omitted", () => {
    const sources = pair.get("source.users");
    const cases = {
      generated: pair,
      // No target users: every in-scope user is a create, well past the bound.
      "all create": variant({ "target.users": [] }),
      // Most source users gone: their target users are deprovisioned, past the bound and the delete threshold.
      "many deprovisions": variant({ "source.users": sources.slice(0, 600) }),
    };
    const omitted: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(cases)) {
      const section = reportPrediction(p);
      if ("unavailable" in section) throw new Error(`${name}: ${section.unavailable}`);
      const whole = predictPair(p);
      expect(section, name).toEqual(sectionOfWhole(whole));
      expect(
        Object.values(section.counts).reduce((a, b) => a + b, 0),
        name,
      ).toBe(whole.users.length);
      for (const list of Object.values(section.users)) expect(list.length).toBeLessThanOrEqual(REPORT_USERS_PER_ACTION);
      omitted[name] = section.omitted;
    }
    expect(omitted).toEqual({
      generated: {},
      "all create": { create: expect.any(Number) as number },
      "many deprovisions": { deprovision: expect.any(Number) as number },
    });
    const deprovisions = reportPrediction(cases["many deprovisions"]);
    expect(deprovisions).toMatchObject({ deleteThreshold: { exceeded: true } });
  });
});

describe("predict --out, streamed", () => {
  it("writes predict.json and predict.csv byte for byte as the whole prediction rendered at once, owner-only, no temp file left", async () => {
    for (const excel of [false, true]) {
      const out = path.join(dir, `out-${String(excel)}`);
      const summary = await predictToFiles(pair, out, { excel });
      const whole = predictPair(pair);
      expect(await readFile(path.join(out, "predict.json"), "utf8")).toBe(JSON.stringify(whole, null, 2) + "\n");
      expect(await readFile(path.join(out, "predict.csv"), "utf8")).toBe(renderPredictCsv(whole, { excel }));
      expect(summary.counts).toEqual(whole.counts);
      expect((await readdir(out)).sort()).toEqual(["predict.csv", "predict.json"]);
      expect((await stat(path.join(out, "predict.json"))).mode & 0o777).toBe(0o600);
    }
  });

  it("a prediction that fails halfway leaves neither file behind", async () => {
    const out = path.join(dir, "out-failed");
    const stream = predictStream(pair);
    function* failing(): Generator<UserPrediction> {
      let n = 0;
      for (const u of stream.users()) {
        if (++n > 2_000) throw new Error("stopped");
        yield u;
      }
    }
    await expect(writePredictFiles(out, failing(), (c) => withUsers(stream.summary(c), []), openRenderer({}, false))).rejects.toThrow("stopped");
    expect(await readdir(out)).toEqual([]);
  });
});

describe("predict --out's render thread", () => {
  // The compiled worker: `npm test` builds before vitest runs, and the TypeScript sources have none to run.
  const compiled = pathToFileURL(path.join(packageRoot, "dist", "src", "predict", "render-worker.js"));

  it("writes the same bytes as rendering in this thread, plain, --excel and what-if", async () => {
    const schemas = structuredClone(pair.get("source.syncSchemas"));
    const schema = Object.values(Object.values(schemas)[0] ?? {})[0] as SynchronizationSchema;
    const files = async (name: string, options: PredictFilesOptions) => {
      const out = path.join(dir, name);
      const summary = await predictToFiles(pair, out, options);
      return { summary, json: await readFile(path.join(out, "predict.json"), "utf8"), csv: await readFile(path.join(out, "predict.csv"), "utf8") };
    };
    for (const [name, options] of Object.entries({ plain: {}, excel: { excel: true }, "what-if": { schema } })) {
      const threaded = await files(`thread-${name}`, { ...options, thread: compiled });
      const inline = await files(`inline-${name}`, { ...options, thread: false });
      expect(threaded, name).toEqual(inline);
      expect(threaded.json.length, name).toBeGreaterThan(1_000_000);
    }
  });

  it("renders no users as predict.csv's header alone (with the byte order mark for Excel) and no JSON", () => {
    for (const excel of [false, true]) {
      const renderer = new PredictRenderer({ excel });
      const parts = [renderer.batch([]), renderer.end()];
      expect(parts.map((p) => p.csv).join("")).toBe(renderPredictCsv({ ...predictPair(pair), users: [] }, { excel }));
      expect(parts.map((p) => p.json).join("")).toBe("");
    }
  });

  it("scrubs the process's secrets from what the thread writes, as every writer does", async () => {
    const secret = "render-thread-secret-0123456789";
    registerSecret(secret);
    const users = sources().map((u, i) => (i < 5 ? { ...u, displayName: `${u.displayName ?? ""} ${secret}` } : u));
    const out = path.join(dir, "out-secret");
    await predictToFiles(variant({ "source.users": users }), out, { thread: compiled });
    for (const file of ["predict.json", "predict.csv"]) {
      const text = await readFile(path.join(out, file), "utf8");
      expect(text, file).not.toContain(secret);
      expect(text.split(SCRUBBED).length - 1, file).toBeGreaterThanOrEqual(5);
    }
  });

  it.for([
    ["throws", 'parentPort.on("message", () => { throw new Error("cannot render"); });', "cannot render"],
    ["exits", 'parentPort.on("message", () => process.exit(3));', "predict's render thread stopped (exit code 3)"],
  ] as const)("a render thread that %s fails the write, and neither file is left behind", async ([name, body, message]) => {
    const script = path.join(dir, `worker-${name}.mjs`);
    await writeFile(script, `import { parentPort } from "node:worker_threads";\n${body}\n`);
    const out = path.join(dir, `out-worker-${name}`);
    await expect(predictToFiles(pair, out, { thread: pathToFileURL(script) })).rejects.toThrow(message);
    expect(await readdir(out)).toEqual([]);
  });
});

describe("what-if, streamed", () => {
  it("the two streams in lockstep give the what-if of the two whole predictions, and predict.json as before", async () => {
    const schemas = structuredClone(pair.get("source.syncSchemas"));
    const schema = Object.values(Object.values(schemas)[0] ?? {})[0] as SynchronizationSchema;
    const users = schema.synchronizationRules?.[0]?.objectMappings?.find((m) => m.sourceObjectName === "User");
    const display = users?.attributeMappings?.find((a) => a.targetAttributeName === "displayName");
    if (!display) throw new Error("the generated schema has no displayName mapping");
    display.source = { type: "Function", name: "Append", expression: 'Append([displayName], " (X)")' } as never;
    // The users whose display name starts with A leave scope: some changes of action, most of value.
    const first = sources().find((u) => u.displayName)?.displayName ?? "";
    users?.scope?.groups?.[0]?.clauses?.push({ operatorName: "NOT EQUALS", sourceOperandName: "displayName", targetOperand: { values: [first] } });

    const { current, edited } = predictWhatIf(pair, schema);
    const diff = new WhatIfDiff();
    for (const [a, b] of lockstep(current.users(), edited.users())) diff.add(a, b);
    const expected = compareWhatIf(predictPair(pair), predictPair(pair, undefined, schema));
    expect(diff.result()).toEqual(expected);
    expect(expected.actions.length).toBeGreaterThan(0);
    expect(expected.values.length).toBeGreaterThan(100);

    const out = path.join(dir, "out-what-if");
    const summary = await predictToFiles(pair, out, { schema });
    expect(summary.whatIf).toEqual(expected);
    expect(await readFile(path.join(out, "predict.json"), "utf8")).toBe(
      JSON.stringify({ ...predictPair(pair, undefined, schema), whatIf: expected }, null, 2) + "\n",
    );
  });
});

const sources = (): User[] => pair.get("source.users");
