import { describe, expect, it } from "vitest";
import { redactSecrets, redactUrl, urlSecrets } from "./redact-url";

describe("redactUrl", () => {
  it("masks the password and keeps the rest", () => {
    expect(redactUrl("postgres://app:s3cret@db.example:6543/prod")).toBe("postgres://app:***@db.example:6543/prod");
  });

  it("masks percent-encoded passwords and password query parameters", () => {
    const shown = redactUrl("postgresql://app:p%40ss%3Aw0rd@db/prod?sslmode=require&password=other");
    expect(shown).not.toContain("p%40ss");
    expect(shown).not.toContain("other");
    expect(shown).toContain("app:***@db");
    expect(shown).toContain("sslmode=require");
  });

  it("leaves a URL without a password as it is", () => {
    expect(redactUrl("postgres://postgres@127.0.0.1:5432/app")).toBe("postgres://postgres@127.0.0.1:5432/app");
  });

  it("masks what looks like a password in a string that is not a URL", () => {
    expect(redactUrl("postgres://app:se cret@[bad/db")).not.toContain("se cret");
  });
});

describe("urlSecrets and redactSecrets", () => {
  it("scrub the raw and decoded password from text", () => {
    const secrets = urlSecrets("postgres://app:p%40ss@db/prod");
    expect(redactSecrets("auth failed for p@ss (p%40ss)", secrets)).toBe("auth failed for *** (***)");
    expect(urlSecrets("postgres://app@db/prod")).toEqual([]);
  });
});
