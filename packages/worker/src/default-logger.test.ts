import { describe, expect, it } from "vitest";
import { createDefaultLogger, redactCredentials } from "./default-logger";

describe("createDefaultLogger", () => {
  it("writes warnings and errors as JSON lines and drops debug and info", () => {
    const lines: string[] = [];
    const logger = createDefaultLogger((line) => lines.push(line));
    logger.debug({ a: 1 }, "debug");
    logger.info({ a: 1 }, "info");
    logger.warn({ runId: "7", err: new Error("connect ECONNREFUSED", { cause: new Error("inner") }) }, "claiming failed");
    logger.error({ count: 2n }, "boom");
    expect(lines).toHaveLength(2);
    const [warning, error] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(warning).toMatchObject({
      level: "warn",
      runId: "7",
      msg: "claiming failed",
      err: { name: "Error", message: "connect ECONNREFUSED", cause: { name: "Error", message: "inner" } },
    });
    expect(typeof warning?.time).toBe("string");
    expect(error).toMatchObject({ level: "error", count: "2", msg: "boom" });
  });

  it("masks passwords in URLs, in messages and in error fields", () => {
    const lines: string[] = [];
    createDefaultLogger((line) => lines.push(line)).warn({ err: new Error("cannot reach postgres://app:hunter2@db:5432/x") }, "at postgresql://u:p%40ss@h/db");
    expect(lines.join("\n")).not.toMatch(/hunter2|p%40ss/);
    expect(redactCredentials("postgres://app:hunter2@db/x and http://host/path")).toBe("postgres://app:***@db/x and http://host/path");
  });
});
