import type { ApiErrorBody } from "../../src/api-types";

/** An API call that failed: the server's error code and message, or a network failure. */
export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;

  constructor(options: { status: number; code: string; message: string }) {
    super(options.message);
    this.name = "ApiFailure";
    this.status = options.status;
    this.code = options.code;
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === "object" && value !== null && "error" in value;
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, cache: "no-store", credentials: "same-origin" });
  } catch (error) {
    throw new ApiFailure({ status: 0, code: "NETWORK", message: `the dashboard server does not answer (${String(error)})` });
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    throw isErrorBody(body)
      ? new ApiFailure({ status: response.status, code: body.error.code, message: body.error.message })
      : new ApiFailure({ status: response.status, code: "HTTP", message: `HTTP ${response.status}` });
  }
  return body as T;
}

/** GET a JSON resource of the dashboard API. */
export function getJson<T>(path: string): Promise<T> {
  return request<T>(path);
}

/** POST to an action of the dashboard API (JSON, so a cross-site form cannot forge it). */
export function postAction<T>(path: string, body: object = {}): Promise<T> {
  return request<T>(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}
