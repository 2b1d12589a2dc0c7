import { describe, expect, it } from "vitest";
import { redact, redactUrl, urlSecrets } from "./redact";

describe("redact", () => {
  it("hides the password of any URL in a text, keeping the user and host", () => {
    expect(redact("connecting to postgres://app:s3cret@db:5432/app failed")).toBe(
      "connecting to postgres://app:***@db:5432/app failed",
    );
    expect(redactUrl("postgresql://app:p%40ss@db/app")).toBe("postgresql://app:***@db/app");
    expect(redactUrl("postgres://app@db/app")).toBe("postgres://app@db/app");
  });

  it("hides known secrets anywhere, raw and percent-encoded", () => {
    expect(urlSecrets("postgres://app:p%40ss@db/app")).toEqual(["p%40ss", "p@ss"]);
    expect(redact("password p@ss was rejected (p%40ss)", ["p@ss"])).toBe("password *** was rejected (***)");
    expect(urlSecrets("postgres://app:p@ss@[bad")).toEqual(["p"]);
    expect(urlSecrets(undefined)).toEqual([]);
  });

  it("leaves the placeholder of the CLI's own examples readable", () => {
    expect(redact("expected postgres://user:password@host:5432/database")).toBe(
      "expected postgres://user:password@host:5432/database",
    );
  });
});
