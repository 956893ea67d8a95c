/**
 * Small helpers for server HTTP API tests (PROTOCOL.md §10): a call that must succeed, a call that
 * must fail with an error body, and a request with any HTTP method, headers and query.
 */
import assert from 'node:assert/strict';
import type { TestCluster } from './test-cluster.js';

export interface ApiError {
  code: number;
  message: string;
}

/** POSTs `method` with the key; asserts HTTP 200 with a `result`, and answers it. */
export async function apiResult<T>(cluster: TestCluster, method: string, body: unknown): Promise<T> {
  const res = await cluster.api(method, body);
  assert.equal(res.status, 200, res.text);
  const parsed = res.body as { result?: T };
  assert.ok(parsed.result !== undefined, `${method} answered ${res.text}`);
  return parsed.result;
}

/** POSTs `method` with the key; asserts HTTP 200 with an `error`, and answers it. */
export async function apiError(cluster: TestCluster, method: string, body: unknown): Promise<ApiError> {
  const res = await cluster.api(method, body);
  assert.equal(res.status, 200, res.text);
  const parsed = res.body as { error?: ApiError };
  assert.ok(parsed.error !== undefined, `${method} answered ${res.text}`);
  return parsed.error;
}

/** Any request to `/api/<method>`: the caller picks HTTP method, headers and query. */
export async function apiRequest(
  cluster: TestCluster,
  method: string,
  init: { httpMethod?: string; headers?: Record<string, string>; query?: string; body?: string } = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const url = `${cluster.handle.apiUrl}/${method}${init.query === undefined ? '' : `?${init.query}`}`;
  const res = await fetch(url, {
    method: init.httpMethod ?? 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
