import { describe, expect, it } from "vitest";
import { NotJsonError } from "../errors/not-json-error";
import { PayloadTooLargeError } from "../errors/payload-too-large-error";
import { ConfigurationError } from "../errors/configuration-error";
import { defaultMaxPayloadBytes, toJsonValue } from "./to-json-value";

function rejection(value: unknown, path = "output"): NotJsonError {
  try {
    toJsonValue(value, { path });
  } catch (error) {
    if (NotJsonError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected NotJsonError");
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe("toJsonValue", () => {
  it("returns plain JSON values as a copy", () => {
    const value = { a: [1, "two", true, null, { b: -1.5 }], c: "" };
    const json = toJsonValue(value, { path: "params" });
    expect(json).toEqual(value);
    expect(json).not.toBe(value);
    expect(toJsonValue("text", { path: "params" })).toBe("text");
    expect(toJsonValue(null, { path: "params" })).toBeNull();
  });

  it("drops undefined-valued properties as JSON does", () => {
    const json = toJsonValue({ kept: 1, dropped: undefined, nested: { gone: undefined } }, { path: "output" });
    expect(json).toEqual({ kept: 1, nested: {} });
    expect(Object.keys(json as object)).toEqual(["kept", "nested"]);
  });

  it("accepts objects without a prototype and normalises -0", () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare["a"] = -0;
    const json = toJsonValue(bare, { path: "output" }) as Record<string, number>;
    expect(Object.is(json["a"], 0)).toBe(true);
  });

  it("keeps a __proto__ key as an own property", () => {
    const value = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    const json = toJsonValue(value, { path: "params" });
    expect(JSON.stringify(json)).toBe('{"__proto__":{"x":1}}');
  });

  it("allows a shared (acyclic) reference twice", () => {
    const shared = { id: 1 };
    expect(toJsonValue({ left: shared, right: shared }, { path: "output" })).toEqual({ left: { id: 1 }, right: { id: 1 } });
  });

  it("names the path in the form of the spec", () => {
    const files = [{}, {}, {}, { mtime: new Date(0) }];
    expect(rejection({ files }).message).toBe("output.files[3].mtime: Date is not JSON; convert it to a string");
    expect(rejection({ files }).path).toBe("output.files[3].mtime");
    expect(rejection({ "a b": { ok: [new Map()] } }, "params").path).toBe('params["a b"].ok[0]');
  });

  it.each([
    ["Map", new Map(), /Map is not JSON/],
    ["Set", new Set(), /Set is not JSON; convert it to an array/],
    ["bigint", 10n, /bigint is not JSON/],
    ["NaN", Number.NaN, /NaN is not JSON/],
    ["Infinity", Number.POSITIVE_INFINITY, /Infinity is not JSON/],
    ["-Infinity", Number.NEGATIVE_INFINITY, /-Infinity is not JSON/],
    ["function", () => 1, /function is not JSON/],
    ["symbol", Symbol("s"), /symbol is not JSON/],
    ["class instance", new Point(1, 2), /an instance of Point is not JSON; convert it to a plain object/],
    ["Error", new Error("x"), /Error is not JSON/],
    ["typed array", new Uint8Array(2), /Uint8Array is not JSON/],
    ["boxed string", new String("s"), /String is not JSON/],
  ])("rejects a %s nested in a value", (_label, bad, message) => {
    const error = rejection({ list: [1, { bad }] });
    expect(error.path).toBe("output.list[1].bad");
    expect(error.message).toMatch(message);
    expect(error.message.startsWith("output.list[1].bad: ")).toBe(true);
  });

  it("rejects cycles at the path that closes them", () => {
    const node: { name: string; children: unknown[] } = { name: "root", children: [] };
    node.children.push({ parent: node });
    const error = rejection(node);
    expect(error.path).toBe("output.children[0].parent");
    expect(error.message).toMatch(/cycle/);
  });

  it("rejects undefined inside arrays, array holes and symbol keys", () => {
    expect(rejection([1, undefined]).message).toMatch(/^output\[1\]: undefined in an array/);
    // eslint-disable-next-line no-sparse-arrays -- the hole is the point
    expect(rejection([1, , 3]).message).toMatch(/^output\[1\]: an array hole/);
    expect(rejection({ [Symbol("k")]: 1 }).message).toMatch(/symbol key/);
  });

  it("rejects undefined at the top unless the caller allows it", () => {
    expect(rejection(undefined, "params").message).toBe("params: undefined is not JSON; use null or leave the value out");
    expect(toJsonValue(undefined, { path: "output", allowUndefined: true })).toBeUndefined();
  });

  it("measures the size as UTF-8 bytes of JSON.stringify and names the limit", () => {
    // "é" is 2 bytes in UTF-8: '"' + 4 × 2 + '"' = 10 bytes.
    expect(toJsonValue("éééé", { path: "params", maxBytes: 10 })).toBe("éééé");
    let caught: unknown;
    try {
      toJsonValue("ééééé", { path: "params", maxBytes: 10 });
    } catch (error) {
      caught = error;
    }
    expect(PayloadTooLargeError.isInstance(caught)).toBe(true);
    const error = caught as PayloadTooLargeError;
    expect(error.sizeBytes).toBe(12);
    expect(error.limitBytes).toBe(10);
    expect(error.message).toMatch(/limit of 10 bytes/);
  });

  it("counts surrogate pairs as 4 bytes", () => {
    expect(toJsonValue("😀", { path: "params", maxBytes: 6 })).toBe("😀");
    expect(() => toJsonValue("😀", { path: "params", maxBytes: 5 })).toThrow(/over the limit of 5 bytes/);
  });

  it("defaults to 1 MiB", () => {
    expect(defaultMaxPayloadBytes).toBe(1_048_576);
    const justFits = "a".repeat(defaultMaxPayloadBytes - 2);
    expect(toJsonValue(justFits, { path: "output" })).toBe(justFits);
    expect(() => toJsonValue(`${justFits}a`, { path: "output" })).toThrow(/1048577 bytes of JSON, over the limit of 1048576 bytes/);
  });

  it("rejects a bad maxBytes option", () => {
    expect(() => toJsonValue(1, { path: "output", maxBytes: 0 })).toThrow(ConfigurationError);
    expect(() => toJsonValue(1, { path: "output", maxBytes: Number.NaN })).toThrow(/maxPayloadBytes/);
  });
});

describe("toJsonValue and the NUL character", () => {
  it("rejects a string holding U+0000 with the path, since no PostgreSQL store can keep it", () => {
    expect(() => toJsonValue({ note: "a\u0000b" }, { path: "params" })).toThrow(/params\.note: .*NUL/);
  });

  it("rejects a key holding U+0000", () => {
    expect(() => toJsonValue({ ["k\u0000"]: 1 }, { path: "params" })).toThrow(NotJsonError);
  });
});
