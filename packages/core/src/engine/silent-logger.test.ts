import { describe, expect, it } from "vitest";
import type { Logger } from "../workflow/types";
import { silentLogger, withFields } from "./silent-logger";

describe("withFields", () => {
  it("adds its fields to every call, read at call time, the call's own fields winning", () => {
    const lines: [string, object, string | undefined][] = [];
    const logger: Logger = {
      debug: (object, message) => lines.push(["debug", object, message]),
      info: (object, message) => lines.push(["info", object, message]),
      warn: (object, message) => lines.push(["warn", object, message]),
      error: (object, message) => lines.push(["error", object, message]),
    };
    const fields: Record<string, unknown> = { worker: "w" };
    const child = withFields(logger, fields);
    fields.workerId = "id-1";
    child.debug({ step: "a" }, "d");
    child.error({ worker: "own" }, "e");
    expect(lines).toEqual([
      ["debug", { worker: "w", workerId: "id-1", step: "a" }, "d"],
      ["error", { worker: "own", workerId: "id-1" }, "e"],
    ]);
  });

  it("keeps silentLogger's methods for the levels the logger drops, so a dropped line copies nothing", () => {
    const warnings: object[] = [];
    const logger: Logger = { ...silentLogger, warn: (object) => warnings.push(object) };
    const child = withFields(withFields(logger, { a: 1 }), { b: 2 });
    expect(child.debug).toBe(silentLogger.debug);
    expect(child.info).toBe(silentLogger.info);
    expect(child.error).toBe(silentLogger.error);
    child.warn({ c: 3 }, "w");
    expect(warnings).toEqual([{ a: 1, b: 2, c: 3 }]);
  });
});
