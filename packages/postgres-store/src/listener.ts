import type { PGlite } from "@electric-sql/pglite";
import type { StoreEvent, Subscription } from "@pgqrs/core/storage";
import pg from "pg";
import { eventChannel, parseEvent } from "./events";
import type { StoreLogger } from "./logger";

/** Fans NOTIFY payloads out to subscribers over one LISTEN connection, opened on the first subscribe. */
export interface Listener {
  subscribe(onEvent: (event: StoreEvent) => void): Promise<Subscription>;
  /** Ends every subscription and the connection. Idempotent. */
  close(): Promise<void>;
}

/** What a listener needs from its driver: start listening, and stop. */
interface Channel {
  /** Starts delivering payloads to `deliver`; resolves once LISTEN is in effect (or the first attempt failed). */
  start(deliver: (payload: string | undefined) => void): Promise<void>;
  stop(): Promise<void>;
}

function createListener(channel: Channel, logger: StoreLogger): Listener {
  const subscribers = new Set<(event: StoreEvent) => void>();
  let listening = false;
  let closed = false;
  // Starts and stops run one at a time, so a subscribe racing the last unsubscribe cannot lose its connection.
  let queue: Promise<void> = Promise.resolve();
  const serialize = (step: () => Promise<void>): Promise<void> => {
    const next = queue.then(step, step);
    queue = next.catch(() => undefined);
    return next;
  };

  const deliver = (payload: string | undefined) => {
    const event = parseEvent(payload);
    if (!event) return;
    for (const onEvent of [...subscribers]) {
      try {
        onEvent(event);
      } catch (error) {
        logger.warn({ err: error }, "pgqrs: a store event subscriber threw; other subscribers still get events");
      }
    }
  };

  const sync = () =>
    serialize(async () => {
      if (!listening && subscribers.size > 0) {
        await channel.start(deliver);
        listening = true;
      } else if (listening && subscribers.size === 0) {
        listening = false;
        await channel.stop();
      }
    });

  return {
    async subscribe(onEvent) {
      if (closed) throw new Error("pgqrs: the store is closed; subscribe on an open store");
      const subscriber = (event: StoreEvent) => onEvent(event);
      subscribers.add(subscriber);
      await sync();
      let open = true;
      return {
        async close() {
          if (!open) return;
          open = false;
          subscribers.delete(subscriber);
          await sync();
        },
      };
    },
    async close() {
      closed = true;
      subscribers.clear();
      await sync();
    },
  };
}

/** Reconnect delays after a dropped LISTEN connection: 100 ms doubling to 5 s, with jitter. */
function backoffMs(failures: number): number {
  const base = Math.min(100 * 2 ** Math.min(failures, 10), 5_000);
  return base / 2 + Math.random() * (base / 2);
}

/**
 * LISTEN on a dedicated `pg` connection (never one of the pool's). When the connection drops — a restart,
 * `pg_terminate_backend`, a network cut — it logs, reconnects with backoff and listens again; an `error` event never
 * reaches the process as an uncaught exception.
 */
export function createPgListener(config: pg.ClientConfig, logger: StoreLogger): Listener {
  let client: pg.Client | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = true;
  let failures = 0;
  let deliver: (payload: string | undefined) => void = () => undefined;

  const scheduleReconnect = () => {
    if (stopped || timer) return;
    const delay = backoffMs(failures++);
    timer = setTimeout(() => {
      timer = null;
      void open();
    }, delay);
  };

  const drop = (dropped: pg.Client, error?: unknown) => {
    if (client !== dropped) return;
    client = null;
    if (stopped) return;
    logger.warn({ err: error }, "pgqrs: the LISTEN connection dropped; reconnecting");
    dropped.end().catch(() => undefined);
    scheduleReconnect();
  };

  const open = async (): Promise<void> => {
    const next = new pg.Client({ ...config, application_name: "pgqrs-listener" });
    client = next;
    next.on("error", (error) => drop(next, error));
    next.on("end", () => drop(next));
    next.on("notification", (message) => {
      if (message.channel === eventChannel) deliver(message.payload);
    });
    try {
      await next.connect();
      await next.query(`listen ${eventChannel}`);
      failures = 0;
    } catch (error) {
      if (client === next) {
        client = null;
        next.end().catch(() => undefined);
        if (!stopped) {
          logger.warn({ err: error }, "pgqrs: could not LISTEN for store events; retrying");
          scheduleReconnect();
        }
      }
    }
  };

  return createListener(
    {
      async start(onPayload) {
        deliver = onPayload;
        stopped = false;
        failures = 0;
        await open();
      },
      async stop() {
        stopped = true;
        if (timer) clearTimeout(timer);
        timer = null;
        const current = client;
        client = null;
        await current?.end().catch(() => undefined);
      },
    },
    logger,
  );
}

/** LISTEN through PGlite's own notification API (one embedded connection; nothing to reconnect). */
export function createPgliteListener(pglite: PGlite, logger: StoreLogger): Listener {
  let unlisten: (() => Promise<void>) | null = null;
  return createListener(
    {
      async start(deliver) {
        unlisten = await pglite.listen(eventChannel, (payload) => deliver(payload));
      },
      async stop() {
        const current = unlisten;
        unlisten = null;
        if (current && !pglite.closed) await current().catch(() => undefined);
      },
    },
    logger,
  );
}
