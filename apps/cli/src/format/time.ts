/** A duration for humans: `850ms`, `12s`, `4m 05s`, `2h 07m`, `3d 04h`. Negative durations count as 0. */
export function formatDuration(ms: number): string {
  const value = Math.max(0, Math.round(ms));
  if (value < 1_000) return `${value}ms`;
  const seconds = Math.floor(value / 1_000);
  if (seconds < 60) return `${seconds}s`;
  const pad = (n: number) => String(n).padStart(2, "0");
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${pad(seconds % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${pad(minutes % 60)}m`;
  return `${Math.floor(hours / 24)}d ${pad(hours % 24)}h`;
}

/** A timestamp for tables: `2025-11-03 10:00:05Z` (UTC, to the second). */
export function formatShortTime(date: Date | null | undefined): string {
  if (!date) return "-";
  return date.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

/** A full ISO 8601 timestamp, or `-`. */
export function formatTime(date: Date | null | undefined): string {
  return date ? date.toISOString() : "-";
}
