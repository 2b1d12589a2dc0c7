import { describe, expect, it } from "vitest";
import { createBackoff } from "./backoff";

describe("createBackoff", () => {
  it("doubles from 100 ms to a 5 s ceiling with half jitter, and starts over after reset()", () => {
    const highest = createBackoff({ random: () => 0.999_999 });
    expect(Array.from({ length: 8 }, () => highest.next())).toEqual([100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000]);
    expect(highest.failures).toBe(8);
    highest.reset();
    expect(highest.failures).toBe(0);
    expect(highest.next()).toBe(100);
    const lowest = createBackoff({ random: () => 0 });
    expect([lowest.next(), lowest.next(), lowest.next()]).toEqual([50, 100, 200]);
  });
});
