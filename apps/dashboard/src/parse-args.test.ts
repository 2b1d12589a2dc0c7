import { describe, expect, it } from "vitest";
import { parseCliArgs } from "./parse-args";

describe("parseCliArgs", () => {
  it("defaults to 127.0.0.1:4000, read-only", () => {
    expect(parseCliArgs(["--database-url", "postgres://db/app"], {})).toEqual({
      kind: "run",
      options: { databaseUrl: "postgres://db/app", port: 4000, host: "127.0.0.1", allowActions: false },
    });
  });

  it("reads every flag, and DATABASE_URL when the flag is absent", () => {
    expect(
      parseCliArgs(["--port", "0", "--host", "0.0.0.0", "--allow-actions"], { DATABASE_URL: "postgresql://db/app" }),
    ).toEqual({ kind: "run", options: { databaseUrl: "postgresql://db/app", port: 0, host: "0.0.0.0", allowActions: true } });
  });

  it("prefers the flag over DATABASE_URL", () => {
    const parsed = parseCliArgs(["--database-url", "postgres://flag/db"], { DATABASE_URL: "postgres://env/db" });
    expect(parsed.kind === "run" && parsed.options.databaseUrl).toBe("postgres://flag/db");
  });

  it("explains what is wrong", () => {
    expect(parseCliArgs([], {})).toMatchObject({ kind: "error", message: expect.stringContaining("--database-url") });
    expect(parseCliArgs(["--database-url", "mysql://x/y"], {})).toMatchObject({ kind: "error" });
    expect(parseCliArgs(["--database-url", "postgres://x/y", "--port", "70000"], {})).toMatchObject({ kind: "error" });
    expect(parseCliArgs(["--database-url", "postgres://x/y", "--port", "-1"], {})).toMatchObject({ kind: "error" });
    expect(parseCliArgs(["--nope"], {})).toMatchObject({ kind: "error", message: expect.stringContaining("--nope") });
  });

  it("shows help", () => {
    expect(parseCliArgs(["--help"], {})).toMatchObject({ kind: "help", text: expect.stringContaining("--allow-actions") });
  });
});
