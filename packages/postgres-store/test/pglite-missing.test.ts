import { ConnectionError } from "@pgqrs/core";
import { describe, expect, it, vi } from "vitest";

// Simulates an install without the optional peer dependency: importing it fails as a missing package does.
vi.mock("@electric-sql/pglite", () => {
  throw Object.assign(new Error("Cannot find package '@electric-sql/pglite'"), { code: "ERR_MODULE_NOT_FOUND" });
});

describe("connect() without @electric-sql/pglite installed", () => {
  it("says what to install", async () => {
    const { connect } = await import("../src/connect");
    const error = await connect().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("npm install @electric-sql/pglite");
  });
});
