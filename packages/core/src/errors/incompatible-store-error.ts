import { PgqrsError } from "./pgqrs-error";

/** The store implements another version of the storage contract. */
export class IncompatibleStoreError extends PgqrsError {
  static override readonly code = "INCOMPATIBLE_STORE" as const;
  constructor(options: { specVersion: unknown; name?: unknown }) {
    super("INCOMPATIBLE_STORE", {
      message: `store ${JSON.stringify(options.name ?? "(unnamed)")} implements storage spec ${JSON.stringify(options.specVersion)}, but this package needs "v1"; install matching @pgqrs/* versions`,
    });
  }
}
