import { describe, expect, it } from "vitest";
import { createFakeClock } from "./fake-clock";

describe("createFakeClock", () => {
  it("stands still until advanced or set", () => {
    const clock = createFakeClock({ start: new Date("2030-05-01T00:00:00.000Z") });
    expect(clock.now()).toBe(Date.parse("2030-05-01T00:00:00.000Z"));
    expect(clock.now()).toBe(clock.now());
    clock.advance(1_500);
    expect(clock.now()).toBe(Date.parse("2030-05-01T00:00:01.500Z"));
    clock.set(new Date("2031-01-01T00:00:00.000Z"));
    expect(clock.now()).toBe(Date.parse("2031-01-01T00:00:00.000Z"));
  });

  it("starts at a fixed default and rejects non-finite input", () => {
    expect(createFakeClock().now()).toBe(Date.parse("2024-01-01T00:00:00.000Z"));
    expect(() => createFakeClock({ start: new Date("nope") })).toThrow(TypeError);
    expect(() => createFakeClock().advance(Number.NaN)).toThrow(TypeError);
  });
});
