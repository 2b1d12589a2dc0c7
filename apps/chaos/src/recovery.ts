/**
 * Recovery times. After a worker dies (or is frozen), its runs are recovered when each is final or has been
 * claimed again under a new lease; after a connection fault, work has recovered when the next step output is
 * committed.
 */
import type { Monitor } from "./database";
import { sleep } from "./sleep";

/** Measures, for each dead worker, the time from its death until all its runs were finished or reclaimed. */
export interface RecoveryTracker {
  /** Snapshots the runs `workerId` held at `at` (epoch ms) and starts watching them. Resolves once snapshotted. */
  track(fault: { workerId: string; at: number }): Promise<void>;
  /** Waits up to `timeoutMs` for every tracked fault to recover; returns each recovery time (ms). */
  settle(timeoutMs: number): Promise<{ durations: number[]; pending: number }>;
}

interface Watch {
  at: number;
  ids: string[];
  tokens: string[];
  recoveredMs?: number;
}

/** Creates a tracker polling every `intervalMs` (default 100). */
export function createRecoveryTracker(monitor: Monitor, intervalMs = 100): RecoveryTracker {
  const watches: Watch[] = [];
  let loop: Promise<void> | undefined;
  let stopped = false;

  // One statement per poll for every unrecovered watch: which of them still has a run under the snapshotted lease.
  const pollOnce = async (): Promise<void> => {
    const open = watches.filter((item) => item.recoveredMs === undefined);
    if (open.length === 0) return;
    const watchIndexes: number[] = [];
    const ids: string[] = [];
    const tokens: string[] = [];
    open.forEach((watch, index) => {
      for (const [position, id] of watch.ids.entries()) {
        watchIndexes.push(index);
        ids.push(id);
        tokens.push(watch.tokens[position] ?? "");
      }
    });
    const rows = await monitor.query<{ watch: number }>(
      `select distinct o.watch from unnest($1::int[], $2::bigint[], $3::uuid[]) as o(watch, id, token)
       join pgqrs.runs r on r.id = o.id and r.status = 'RUNNING' and r.lease_token = o.token`,
      [watchIndexes, ids, tokens],
    );
    const holding = new Set(rows.map((row) => row.watch));
    const now = Date.now();
    open.forEach((watch, index) => {
      if (!holding.has(index)) watch.recoveredMs = now - watch.at;
    });
  };

  const ensureLoop = (): void => {
    loop ??= (async () => {
      while (!stopped) {
        await pollOnce().catch(() => undefined);
        await sleep(intervalMs);
      }
    })();
  };

  return {
    async track(fault) {
      const rows = await monitor.query<{ id: string; token: string }>(
        "select id::text as id, lease_token::text as token from pgqrs.runs where worker_id = $1::uuid and status = 'RUNNING'",
        [fault.workerId],
      );
      // A worker that held nothing has nothing to recover.
      watches.push({
        at: fault.at,
        ids: rows.map((row) => row.id),
        tokens: rows.map((row) => row.token),
        ...(rows.length === 0 ? { recoveredMs: 0 } : {}),
      });
      ensureLoop();
    },
    async settle(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && watches.some((watch) => watch.recoveredMs === undefined)) await sleep(intervalMs);
      stopped = true;
      await loop;
      return {
        durations: watches.flatMap((watch) => (watch.recoveredMs === undefined ? [] : [watch.recoveredMs])),
        pending: watches.filter((watch) => watch.recoveredMs === undefined).length,
      };
    },
  };
}

/**
 * Waits until a step output is committed after `at` (epoch ms) and returns the delay from `at`, or `undefined`
 * after `timeoutMs`.
 */
export async function timeToNextStep(monitor: Monitor, options: { at: number; timeoutMs: number }): Promise<number | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await monitor
      .query<{ first: number | null }>(
        "select (extract(epoch from min(completed_at)) * 1000)::float8 as first from pgqrs.steps where completed_at > to_timestamp($1::float8 / 1000)",
        [options.at],
      )
      .catch(() => [{ first: null }]);
    if (row?.first !== null && row?.first !== undefined) return Math.max(0, row.first - options.at);
    await sleep(100);
  }
  return undefined;
}
