import type * as PgliteModule from "@electric-sql/pglite";
import type { PGlite } from "@electric-sql/pglite";
import type { Row, Statement } from "./statement";

/** Runs a statement defined with `defineStatement` by its name, its parameters in placeholder order. */
export interface DirectExecutor {
  run(statement: Statement, params: unknown[]): Promise<Row[]>;
}

// Per instance: statement name → its parameter type oids, once parsed. Named statements live as long as the
// instance's session, which every store over it shares (stores come and go; the instance stays).
const parsedByInstance = new WeakMap<PGlite, Map<string, number[]>>();

/**
 * Named prepared statements on PGlite, outside transactions. `PGlite#query` (and drizzle's PGlite driver, which
 * ignores a statement's name) sends every statement unnamed, in six protocol calls (Parse, Describe, Bind, Describe,
 * Execute, Sync), so PGlite parses and plans it again each time; planning cost more than executing for the hot
 * statements. Here a statement is parsed once per instance under its name, and each call is one protocol call
 * (Bind, Describe, Execute, Sync), whose plan PostgreSQL caches as for any named statement.
 *
 * Each call holds PGlite's transaction and query locks, as `query()` does, so it never runs inside another caller's
 * `transaction()`. The Sync travels in the same message, so a failing statement leaves no aborted state behind.
 */
export function createPgliteDirect(pglite: PGlite, module: typeof PgliteModule): DirectExecutor | undefined {
  if (!hasProtocolApi(pglite, module)) return undefined;
  const { serialize } = module.protocol;
  const parsed = parsedByInstance.get(pglite) ?? new Map<string, number[]>();
  parsedByInstance.set(pglite, parsed);

  const prepare = async (statement: Statement): Promise<number[]> => {
    const message = concat([
      serialize.parse({ name: statement.name, text: statement.query.sql }),
      serialize.describe({ type: "S", name: statement.name }),
      serialize.sync(),
    ]);
    const { messages } = await pglite.execProtocol(message, { syncToFs: false });
    const types = module.parse.parseDescribeStatementResults(messages);
    parsed.set(statement.name, types);
    return types;
  };

  return {
    run: (statement, params) =>
      pglite._runExclusiveTransaction(() =>
        pglite._runExclusiveQuery(async () => {
          const types = parsed.get(statement.name) ?? (await prepare(statement));
          const values = params.map((param, i) => {
            if (param === null || param === undefined) return null;
            const serializer = pglite.serializers[types[i] ?? 0];
            return serializer ? serializer(param) : String(param);
          });
          const message = concat([
            serialize.bind({ statement: statement.name, values }),
            serialize.describe({ type: "P" }),
            serialize.execute({}),
            serialize.sync(),
          ]);
          // Outside a transaction `query()` syncs the data directory after each statement; so does this.
          const { messages } = await pglite.execProtocol(message);
          const [result] = module.parse.parseResults(messages, pglite.parsers);
          return (result?.rows ?? []) as Row[];
        }),
      ),
  };
}

/**
 * The direct path needs PGlite's wire-protocol API (present in 0.5): `execProtocol`, the exclusive-run locks, and
 * the module's `protocol.serialize` and `parse` helpers. A PGlite without them (the peer range is open) gets the
 * plain drizzle path, slower but equivalent.
 */
function hasProtocolApi(pglite: PGlite, module: typeof PgliteModule): boolean {
  const instance = pglite as unknown as Record<string, unknown>;
  const lib = module as unknown as { protocol?: { serialize?: Record<string, unknown> }; parse?: Record<string, unknown> };
  const serialize = lib.protocol?.serialize;
  return (
    typeof instance["execProtocol"] === "function" &&
    typeof instance["_runExclusiveTransaction"] === "function" &&
    typeof instance["_runExclusiveQuery"] === "function" &&
    typeof instance["serializers"] === "object" &&
    ["parse", "describe", "bind", "execute", "sync"].every((name) => typeof serialize?.[name] === "function") &&
    typeof lib.parse?.["parseResults"] === "function" &&
    typeof lib.parse?.["parseDescribeStatementResults"] === "function"
  );
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
