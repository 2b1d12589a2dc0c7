import { describe, expect, it } from "vitest";
import { IncompatibleStoreError } from "./errors/incompatible-store-error";
import { assertCompatibleStore } from "./store-check";
import { createMemoryStore } from "./testing";

describe("assertCompatibleStore", () => {
  it("accepts a v1 store", () => {
    expect(() => assertCompatibleStore(createMemoryStore())).not.toThrow();
  });

  it("rejects another spec version, naming it", () => {
    const store = { ...createMemoryStore(), specVersion: "v2", name: "future" };
    expect(() => assertCompatibleStore(store)).toThrow(IncompatibleStoreError);
    expect(() => assertCompatibleStore(store)).toThrow(/"future" implements storage spec "v2"/);
  });

  it("rejects a store missing methods, naming them", () => {
    const { saveStep: _saveStep, ...rest } = createMemoryStore();
    expect(() => assertCompatibleStore(rest)).toThrow(/missing saveStep/);
    const { cancelRun: _cancelRun, sendEvent: _sendEvent, ...older } = createMemoryStore();
    expect(() => assertCompatibleStore(older)).toThrow(/missing cancelRun, sendEvent/);
    const noSubscribe = { ...createMemoryStore(), subscribe: undefined };
    expect(() => assertCompatibleStore(noSubscribe)).toThrow(/missing subscribe/);
  });

  it("rejects non-objects", () => {
    expect(() => assertCompatibleStore(undefined)).toThrow(IncompatibleStoreError);
    expect(() => assertCompatibleStore("postgres://x")).toThrow(IncompatibleStoreError);
  });
});
