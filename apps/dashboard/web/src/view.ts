import type { ApiInfo } from "../../src/api-types";

/** A page of the dashboard. */
export interface View {
  /** The page's root element; the router mounts it once. */
  element: HTMLElement;
  /** Fetches and renders; the poller calls it at once and then every poll interval (never two at a time). */
  refresh(): Promise<void>;
}

/** What views get from the app shell. */
export interface ViewContext {
  info: ApiInfo;
  /** Refreshes the current view now (after an action). */
  refreshNow(): void;
}

/** A status as a badge; the class colours it. */
export function statusClass(status: string): string {
  return `badge status-${status.toLowerCase().replace(/[^a-z]/g, "")}`;
}

/** Remembers the last JSON rendered, so a refresh that brings nothing new leaves the page (and its state) alone. */
export function createChangeDetector(): (value: unknown) => boolean {
  let last: string | null = null;
  return (value) => {
    const text = JSON.stringify(value);
    if (text === last) return false;
    last = text;
    return true;
  };
}
