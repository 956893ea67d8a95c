/**
 * What the desktop app keeps in its user data folder (`settings.json`): the window's bounds, the
 * embedded cluster's settings and which cluster the console watches (the embedded one, or a remote
 * admin API). Parsing fills defaults field by field, so an old or hand-edited file still loads.
 */
import { z } from 'zod';
import { STRATEGIES } from '../admin/admin-model.js';
import type { Strategy } from '../admin/admin-model.js';

/** The embedded cluster's defaults: the same as `switchboard serve` (a test keeps them equal). */
export const DESKTOP_CLUSTER_DEFAULTS = {
  nodes: 3,
  port: 8000,
  adminPort: 8001,
  strategy: 'least-connections',
  configFile: '',
} as const satisfies ClusterSettings;

export interface ClusterSettings {
  nodes: number;
  port: number;
  adminPort: number;
  strategy: Strategy;
  /** A Centrifugo-layout config file for namespaces and secrets; '' for the default namespaces. */
  configFile: string;
}

/** Which admin API the console talks to. */
export type TargetSettings =
  | { kind: 'embedded' }
  | { kind: 'remote'; adminUrl: string; adminToken: string };

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface DesktopSettings {
  window: WindowBounds;
  cluster: ClusterSettings;
  target: TargetSettings;
}

export const DEFAULT_WINDOW: WindowBounds = { width: 1360, height: 880, maximized: false };

const port = z.number().int().min(0).max(65_535);

export const clusterSettingsSchema = z.strictObject({
  nodes: z.number().int().min(1).max(64),
  port,
  adminPort: port,
  strategy: z.enum(STRATEGIES),
  configFile: z.string().max(4096),
});

export const targetSettingsSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('embedded') }),
  z.strictObject({ kind: z.literal('remote'), adminUrl: z.string().min(1).max(2048), adminToken: z.string().min(1).max(4096) }),
]);

const windowSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean(),
});

/** Fresh settings: the default window, the serve defaults, the embedded cluster. */
export function defaultDesktopSettings(): DesktopSettings {
  return { window: { ...DEFAULT_WINDOW }, cluster: { ...DESKTOP_CLUSTER_DEFAULTS }, target: { kind: 'embedded' } };
}

/** Reads a settings file's JSON value: each valid section is kept, each missing or broken one defaults. */
export function parseDesktopSettings(raw: unknown): DesktopSettings {
  const fallback = defaultDesktopSettings();
  if (typeof raw !== 'object' || raw === null) return fallback;
  const r = raw as Record<string, unknown>;
  const win = windowSchema.safeParse(r.window);
  // Unknown keys (from a later version) are dropped, not fatal; missing ones take the defaults.
  const cluster = z.object(clusterSettingsSchema.shape).safeParse({ ...fallback.cluster, ...(isObject(r.cluster) ? r.cluster : {}) });
  const target = targetSettingsSchema.safeParse(r.target);
  return {
    window: win.success ? win.data : fallback.window,
    cluster: cluster.success ? cluster.data : fallback.cluster,
    target: target.success ? target.data : fallback.target,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
