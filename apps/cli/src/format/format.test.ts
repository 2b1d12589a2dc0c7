import { describe, expect, it } from "vitest";
import { formatBytes, jsonByteLength } from "./bytes";
import { renderTable, truncate } from "./table";
import { formatDuration, formatShortTime } from "./time";

describe("formatting", () => {
  it("formats durations at a sensible precision", () => {
    expect(formatDuration(-5)).toBe("0ms");
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(12_400)).toBe("12s");
    expect(formatDuration(245_000)).toBe("4m 05s");
    expect(formatDuration(7_620_000)).toBe("2h 07m");
    expect(formatDuration(273_600_000)).toBe("3d 04h");
  });

  it("formats table times to the second in UTC", () => {
    expect(formatShortTime(new Date("2025-11-03T10:00:05.678Z"))).toBe("2025-11-03 10:00:05Z");
    expect(formatShortTime(null)).toBe("-");
  });

  it("measures JSON sizes in UTF-8 bytes", () => {
    expect(jsonByteLength(undefined)).toBe(0);
    expect(jsonByteLength(null)).toBe(4);
    expect(jsonByteLength({ name: "é" })).toBe(13);
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(3 * 1024 * 1024)).toBe("3.0 MiB");
  });

  it("renders aligned tables and truncates long cells", () => {
    expect(
      renderTable(
        [{ header: "NAME" }, { header: "N", align: "right" }],
        [
          ["a", "1"],
          ["long_name", "100"],
        ],
      ),
    ).toEqual(["NAME         N", "a            1", "long_name  100"]);
    expect(truncate("line one\nline two", 10)).toBe("line one …");
    expect(truncate("short", 10)).toBe("short");
  });
});
