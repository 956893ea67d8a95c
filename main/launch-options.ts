/**
 * Cluster settings given on the desktop app's command line (`npm start -- --port 0 --nodes 2`):
 * they apply to this launch only and are never saved. Electron and Chromium add switches of their
 * own, so unknown arguments are ignored rather than refused.
 */
import { parseArgs } from 'node:util';
import type { ClusterSettings } from '../shared/desktop/desktop-settings.js';
import { clusterSettingsSchema } from '../shared/desktop/desktop-settings.js';

const OPTIONS = {
  nodes: { type: 'string' },
  port: { type: 'string' },
  'admin-port': { type: 'string' },
  strategy: { type: 'string' },
  config: { type: 'string' },
} as const;

/** The overrides found in argv; a value that does not fit (e.g. `--nodes many`) is left out. */
export function launchOverrides(argv: readonly string[]): Partial<ClusterSettings> {
  const { values } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true });
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const whole = (v: unknown): number | undefined => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);
  const candidates: Partial<Record<keyof ClusterSettings, unknown>> = {
    nodes: whole(values.nodes),
    port: whole(values.port),
    adminPort: whole(values['admin-port']),
    strategy: text(values.strategy),
    configFile: text(values.config),
  };
  const shape = clusterSettingsSchema.shape;
  const overrides: Partial<ClusterSettings> = {};
  for (const key of Object.keys(candidates) as (keyof ClusterSettings)[]) {
    const checked = shape[key].safeParse(candidates[key]);
    if (candidates[key] !== undefined && checked.success) Object.assign(overrides, { [key]: checked.data });
  }
  return overrides;
}
