/** Expected failures are values (STYLE.md §3); programmer errors throw. */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };

/** The only error shape that crosses a process or network boundary. */
export interface AppError {
  /** A protocol error code (PROTOCOL.md §3.2) or an app-level code. */
  code: number;
  /** Human-readable, safe to show to a user; never a stack. */
  message: string;
  /** True when retrying later may succeed (the client's retry rule). */
  temporary?: boolean;
}

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

/** Ends a switch over a union: a new member breaks the build where it is not handled. */
export function assertNever(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}
