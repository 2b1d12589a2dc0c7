import { runStatuses as allRunStatuses } from "@pgqrs/core";
import type { JsonValue, RunStatus } from "@pgqrs/core/storage";
import { InvalidArgumentError } from "commander";
import { usageError } from "./cli-error";

/** The statuses `--status` accepts: every status, in lifecycle order (CANCELLED included). */
export const runStatuses: readonly RunStatus[] = allRunStatuses;

function integer(value: string, minimum: number): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number >= ${minimum}`);
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < minimum) {
    throw new InvalidArgumentError(`expected a whole number >= ${minimum}`);
  }
  return parsed;
}

/** A commander option parser for whole numbers >= 0 (`--delay-ms`, `--timeout-ms`). */
export function parseNonNegativeInteger(value: string): number {
  return integer(value, 0);
}

/** A commander option parser for `--limit`: 1 to 1000. */
export function parseLimit(value: string): number {
  const limit = integer(value, 1);
  if (limit > 1000) throw new InvalidArgumentError("expected at most 1000");
  return limit;
}

/** A commander option parser for `--interval-ms`: at least 100. */
export function parseInterval(value: string): number {
  return integer(value, 100);
}

/** A commander option parser for `--port`: 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 65_535) {
    throw new InvalidArgumentError("expected a whole number from 0 to 65535 (0 picks a free port)");
  }
  return Number(value);
}

/** A commander option parser for `--host`: any non-empty address (the server's listen call checks the rest). */
export function parseHost(value: string): string {
  const host = value.trim();
  if (host === "") throw new InvalidArgumentError("expected an address such as 127.0.0.1, ::1 or 0.0.0.0");
  return host;
}

/** A commander option parser for `--status`, case-insensitive. */
export function parseStatus(value: string): RunStatus {
  const status = value.trim().toUpperCase();
  const known = runStatuses.find((candidate) => candidate === status);
  if (known === undefined) throw new InvalidArgumentError(`expected one of ${runStatuses.join(", ")}`);
  return known;
}

/**
 * Parses a JSON option value (`--params`, `--payload`). Only checks that it is JSON; the client checks the rest
 * (size, the workflow's schema).
 * @throws CliError (exit 2) naming the option and the JSON syntax problem.
 */
export function parseJsonOption(text: string, options: { option: string; example: string }): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw usageError(`${options.option} is not valid JSON (${detail}); example: ${options.option} '${options.example}'`);
  }
}

/**
 * Parses `--params`.
 * @throws CliError (exit 2) naming the JSON syntax problem.
 */
export function parseJsonParams(text: string): JsonValue {
  return parseJsonOption(text, { option: "--params", example: '{"bucket":"photos"}' });
}
