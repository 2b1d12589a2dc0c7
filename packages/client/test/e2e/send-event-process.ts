/**
 * A separate process that sends an event, as an approval service would: opens the store by its URL, waits
 * DELAY_MS, calls `sendEvent` through the public client, prints the answer as one JSON line and exits.
 * Environment: DATABASE_URL, RUN_ID, EVENT_NAME, PAYLOAD (JSON), DELAY_MS.
 */
import { setTimeout as delay } from "node:timers/promises";
import { run } from "@pgqrs/client";
import { connect } from "@pgqrs/postgres-store";

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

const store = await connect(required("DATABASE_URL"), { migrate: false });
try {
  await delay(Number(process.env.DELAY_MS ?? 0));
  const sent = await run()
    .status(required("RUN_ID"))
    .store(store)
    .sendEvent(required("EVENT_NAME"), JSON.parse(required("PAYLOAD")) as unknown);
  process.stdout.write(`${JSON.stringify(sent)}\n`);
} finally {
  await store.close();
}
