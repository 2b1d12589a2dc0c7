import { PgqrsError } from "./pgqrs-error";

/** The store implements another version of the storage contract, or lacks part of it. */
export class IncompatibleStoreError extends PgqrsError {
  static override readonly code = "INCOMPATIBLE_STORE" as const;
  readonly specVersion: unknown;
  /** What the store lacks (method names), when its version matched. */
  readonly missing: readonly string[];

  constructor(options: { specVersion: unknown; name?: unknown; missing?: readonly string[] }) {
    const label = typeof options.name === "string" ? JSON.stringify(options.name) : "(unnamed)";
    const missing = options.missing ?? [];
    super("INCOMPATIBLE_STORE", {
      message:
        missing.length > 0
          ? `store ${label} does not implement storage spec "v1": missing ${missing.join(", ")}; pass a store from a @pgqrs/* store package of the same version`
          : `store ${label} implements storage spec ${String(JSON.stringify(options.specVersion))}, but this package needs "v1"; install matching @pgqrs/* versions`,
    });
    this.specVersion = options.specVersion;
    this.missing = missing;
  }
}
