/**
 * The desktop main process ↔ cluster host boundary (ARCHITECTURE.md: Electron main forks the
 * supervisor as a process of its own). One start request, one stop request; the host answers
 * `ready` with the cluster's addresses, `failed` with a readable reason, `stopped` before it exits.
 * Messages are structured-cloned by Node's IPC; `parseHostRequest` / `parseHostReply` are the one
 * place their shape is checked (STYLE.md §2).
 */
import { z } from 'zod';
import type { Result } from '../result.js';
import { err, ok } from '../result.js';
import { STRATEGIES } from '../admin/admin-model.js';

/** What the host runs: the desktop's cluster settings, applied over the config file and the defaults. */
export interface HostStartOptions {
  nodes: number;
  /** Client WebSocket + HTTP API port; 0 picks a free one. */
  port: number;
  /** Admin API port; 0 picks a free one. */
  adminPort: number;
  strategy: (typeof STRATEGIES)[number];
  /** A Centrifugo-layout config file (namespaces, secrets, …); '' for none. */
  configFile: string;
  /** The built console bundle the admin port serves to browsers (`dist/console`). */
  consoleDir: string;
}

/** Where a running cluster is (ClusterHandle's addresses, nothing that cannot be cloned). */
export interface ClusterAddresses {
  /** `ws://host:port/connection/websocket` */
  clientUrl: string;
  /** `http://host:port/api` */
  apiUrl: string;
  /** `ws://host:adminPort/admin` */
  adminUrl: string;
  /** Per-launch admin token. */
  adminToken: string;
  /** The console in a browser, token included. */
  consoleUrl: string;
  nodes: number;
  strategy: string;
}

/** Parent → host. */
export type HostRequest =
  | { type: 'start'; options: HostStartOptions }
  | { type: 'stop' };

/** Host → parent. */
export type HostReply =
  | { type: 'ready'; cluster: ClusterAddresses }
  | { type: 'failed'; message: string }
  | { type: 'stopped' };

const port = z.number().int().min(0).max(65_535);

const startOptions = z.strictObject({
  nodes: z.number().int().min(1).max(64),
  port,
  adminPort: port,
  strategy: z.enum(STRATEGIES),
  configFile: z.string(),
  consoleDir: z.string().min(1),
});

const requestSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('start'), options: startOptions }),
  z.strictObject({ type: z.literal('stop') }),
]) satisfies z.ZodType<HostRequest>;

const addresses = z.strictObject({
  clientUrl: z.string(),
  apiUrl: z.string(),
  adminUrl: z.string(),
  adminToken: z.string().min(1),
  consoleUrl: z.string(),
  nodes: z.number().int(),
  strategy: z.string(),
});

const replySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), cluster: addresses }),
  z.strictObject({ type: z.literal('failed'), message: z.string() }),
  z.strictObject({ type: z.literal('stopped') }),
]) satisfies z.ZodType<HostReply>;

/** A message the host received, checked; the error says what was wrong (for the host's log). */
export function parseHostRequest(raw: unknown): Result<HostRequest, string> {
  const parsed = requestSchema.safeParse(raw);
  return parsed.success ? ok(parsed.data) : err(`unexpected message from the desktop app: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
}

/** A message the desktop app received from the host, checked. */
export function parseHostReply(raw: unknown): Result<HostReply, string> {
  const parsed = replySchema.safeParse(raw);
  return parsed.success ? ok(parsed.data) : err(`unexpected message from the cluster host: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
}
