// Reading a user's attribute by the name a schema gives it: Graph's own key in any case, or why it cannot be read.
import { describe, expect, it } from "vitest";
import { keyOf, readAttribute, type AttributeFacts } from "../../src/model/attributes.js";
import { unknown } from "../../src/model/known.js";
import { targetValue } from "../../src/model/mapping-values.js";
import type { User } from "../../src/snapshot/graph-types.js";

const facts = (absentAttribute: AttributeFacts["absentAttribute"]): AttributeFacts => ({
  phoneMethods: unknown("not read"),
  logs: unknown("not read"),
  absentAttribute,
});
const user = { id: "u1", department: "Sales", jobTitle: null, JOBCODE: "7" } as unknown as User;

describe("keyOf", () => {
  it.for([
    ["department", "department"],
    ["Department", "department"],
    ["DEPARTMENT", "department"],
    ["jobcode", "JOBCODE"],
    ["jobTitle", "jobTitle"],
    // Same length, other letters: not the same key.
    ["departmenx", undefined],
    ["dept", undefined],
  ] as const)("%s → %s", ([name, key]) => {
    expect(keyOf(user, name)).toBe(key);
  });

  it("finds only the object's own keys", () => {
    expect(keyOf(Object.create({ inherited: 1 }) as object, "inherited")).toBeUndefined();
  });
});

describe("readAttribute by a schema's name", () => {
  it("reads a property in any case, and a null one as null", () => {
    expect(readAttribute(user, "Department", facts("not-collected"))).toEqual({ known: true, value: "Sales" });
    expect(readAttribute(user, "JobTitle", facts("not-collected"))).toEqual({ known: true, value: null });
  });

  it("an absent property is not collected, or null when every attribute was selected; the same text for every user", () => {
    const a = readAttribute(user, "surname", facts("not-collected"));
    const b = readAttribute({ id: "u2" }, "surname", facts("not-collected"));
    expect(a).toEqual({ known: false, reason: "surname was not collected for this user (the snapshot's user $select does not include it)" });
    expect(b).toEqual(a);
    expect(readAttribute(user, "surname", facts("null"))).toEqual({ known: true, value: null });
  });
});

describe("targetValue by a schema's name", () => {
  it("reads the target's property in any case, and says when it is absent", () => {
    expect(targetValue("Department", { id: "t1", department: "Sales" })).toEqual({ present: true, value: "Sales" });
    expect(targetValue("surname", { id: "t1", department: "Sales" })).toEqual({ present: false });
    expect(targetValue("IsSoftDeleted", { id: "t1" })).toEqual({ present: true, value: false });
  });
});
