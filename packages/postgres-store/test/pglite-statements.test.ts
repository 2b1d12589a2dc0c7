import * as pgliteModule from "@electric-sql/pglite";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgliteDirect, type DirectExecutor } from "../src/pglite-statement";
import { defineStatement } from "../src/statement";

const p = sql.placeholder;
const divide = defineStatement("test_divide", sql`select (${p("a")}::int / ${p("b")}::int) as quotient, ${p("label")}::text as label`);

/** The direct runner, which this PGlite (0.5) supports. */
function directOn(pglite: PGlite): DirectExecutor {
  const direct = createPgliteDirect(pglite, pgliteModule);
  if (direct === undefined) throw new Error("expected PGlite's protocol API to be present");
  return direct;
}

describe("named statements on PGlite", () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = new PGlite();
    await pglite.exec("create table items (id int primary key)");
  });
  afterAll(async () => {
    await pglite.close();
  });

  it("parses a statement once per instance, whichever store runs it", async () => {
    const first = directOn(pglite);
    const second = directOn(pglite);
    expect(await first.run(divide, [6, 3, "a"])).toEqual([{ quotient: 2, label: "a" }]);
    // A second Parse under the same name would fail ("prepared statement already exists").
    expect(await second.run(divide, [9, 3, null])).toEqual([{ quotient: 3, label: null }]);
    const prepared = await pglite.query<{ count: number }>(
      "select count(*)::int as count from pg_prepared_statements where name = 'pgqrs_test_divide'",
    );
    expect(prepared.rows[0]?.count).toBe(1);
  });

  it("leaves the session usable after a failing statement", async () => {
    const direct = directOn(pglite);
    await expect(direct.run(divide, [1, 0, "x"])).rejects.toMatchObject({ code: "22012" });
    expect(await direct.run(divide, [4, 2, "y"])).toEqual([{ quotient: 2, label: "y" }]);
    expect((await pglite.query("select 1 as one")).rows).toEqual([{ one: 1 }]);
  });

  it("never runs inside another caller's transaction", async () => {
    const direct = directOn(pglite);
    const insert = defineStatement("test_insert", sql`insert into items (id) values (${p("id")}::int) returning id`);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = pglite.transaction(async (tx) => {
      await tx.query("insert into items (id) values (1)");
      await held;
      await tx.rollback();
    });
    // Queued behind the transaction: it must not join it (and be rolled back with it).
    const outside = direct.run(insert, [2]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await transaction;
    expect(await outside).toEqual([{ id: 2 }]);
    expect((await pglite.query("select id from items order by id")).rows).toEqual([{ id: 2 }]);
  });

  it("falls back to the plain path on a PGlite without the protocol API", () => {
    const withoutProtocol = { ...pgliteModule, protocol: {} } as unknown as typeof pgliteModule;
    expect(createPgliteDirect(pglite, withoutProtocol)).toBeUndefined();
  });
});
