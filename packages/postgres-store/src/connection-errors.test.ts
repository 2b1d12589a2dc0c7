import { ConnectionError } from "@pgqrs/core";
import { DrizzleQueryError } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { connectFailure, describeQueryError, isConnectionFailure, redactSecrets, sanitizeError } from "./connection-errors";

const target = { host: "db.internal", port: "5432", database: "app", user: "app", secrets: ["p@ss word"] };

describe("connection errors", () => {
  it("recognises lost connections by socket code, SQLSTATE class 08, admin shutdown and pg's messages", () => {
    expect(isConnectionFailure(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error("x"), { code: "08006" }))).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error("terminating connection"), { code: "57P01" }))).toBe(true);
    expect(isConnectionFailure(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
  });

  it("redacts URL credentials and each secret, raw and percent-encoded", () => {
    expect(redactSecrets("postgres://app:hunter2@db/app failed", [])).toBe("postgres://app:***@db/app failed");
    expect(redactSecrets("auth p@ss word and p%40ss%20word", ["p@ss word"])).toBe("auth *** and ***");
  });

  it("sanitises a whole cause chain and keeps codes", () => {
    const inner = Object.assign(new Error("secret p@ss word inside"), { code: "28P01" });
    const outer = new Error("wrapping p@ss word", { cause: inner });
    const copy = sanitizeError(outer, ["p@ss word"]);
    expect(copy.message).toBe("wrapping ***");
    expect((copy.cause as Error).message).toBe("secret *** inside");
    expect((copy.cause as { code?: string }).code).toBe("28P01");
    expect(`${copy.stack} ${(copy.cause as Error).stack}`).not.toContain("p@ss word");
  });

  it("turns a lost connection under drizzle's wrapper into a ConnectionError, and leaves other errors alone", () => {
    const lost = new DrizzleQueryError("select 1", [], Object.assign(new Error("Connection terminated"), { code: "ECONNRESET" }));
    expect(ConnectionError.isInstance(describeQueryError(lost))).toBe(true);
    const constraint = Object.assign(new Error("duplicate key"), { code: "23505" });
    expect(describeQueryError(new DrizzleQueryError("insert", ["user data"], constraint))).toBe(constraint);
  });

  it("says what to check for each way a connection attempt fails", () => {
    const cases: [string | undefined, string, RegExp][] = [
      ["ECONNREFUSED", "connect ECONNREFUSED", /connection refused/],
      ["ENOTFOUND", "getaddrinfo ENOTFOUND db.internal", /host "db.internal" was not found/],
      ["28P01", 'password authentication failed for user "app"', /rejected the password for user "app"/],
      ["3D000", 'database "app" does not exist', /database "app" does not exist/],
      [undefined, "Connection terminated unexpectedly", /did not answer as PostgreSQL/],
    ];
    for (const [code, message, expected] of cases) {
      const error = connectFailure(Object.assign(new Error(`${message} p@ss word`), { code }), target);
      expect(error.message).toMatch(expected);
      expect(`${error.message} ${String((error.cause as Error).message)}`).not.toContain("p@ss word");
    }
  });
});
