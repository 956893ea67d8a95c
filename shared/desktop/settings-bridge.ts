/**
 * The settings page ↔ desktop main boundary: the page (main/settings/) reads the settings and saves
 * them; its preload exposes exactly this as `window.switchboardSettings`.
 */
import { z } from 'zod';
import type { Result } from '../result.js';
import { err, ok } from '../result.js';
import type { ClusterSettings, TargetSettings } from './desktop-settings.js';
import { clusterSettingsSchema } from './desktop-settings.js';

/** What the page shows. */
export interface SettingsSnapshot {
  cluster: ClusterSettings;
  target: TargetSettings;
  /** One line on the embedded cluster: running, stopped, its console URL… */
  status: string;
  /** The defaults, for the page's "Reset" button. */
  defaults: ClusterSettings;
}

/** What the page saves: the remote target as typed (normalized by the main process). */
export interface SettingsInput {
  cluster: ClusterSettings;
  target: { kind: 'embedded' } | { kind: 'remote'; url: string; token: string };
}

export type SaveSettingsResult = { ok: true } | { ok: false; message: string };

/** `window.switchboardSettings` in the settings page. */
export interface SettingsBridge {
  load(): Promise<SettingsSnapshot>;
  save(input: SettingsInput): Promise<SaveSettingsResult>;
}

export interface SettingsInvokes {
  'settings:load': { req: null; res: SettingsSnapshot };
  'settings:save': { req: SettingsInput; res: SaveSettingsResult };
}

export type SettingsInvokeChannel = keyof SettingsInvokes;

const REQUESTS = {
  'settings:load': z.null(),
  'settings:save': z.strictObject({
    cluster: clusterSettingsSchema,
    target: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('embedded') }),
      z.strictObject({ kind: z.literal('remote'), url: z.string().max(2048), token: z.string().max(4096) }),
    ]),
  }),
} satisfies { [C in SettingsInvokeChannel]: z.ZodType<SettingsInvokes[C]['req']> };

export const SETTINGS_INVOKE_CHANNELS = Object.keys(REQUESTS) as SettingsInvokeChannel[];

/** Checks a settings request's payload (`undefined` from a bare invoke counts as null). */
export function parseSettingsRequest<C extends SettingsInvokeChannel>(channel: C, payload: unknown): Result<SettingsInvokes[C]['req'], string> {
  const parsed = (REQUESTS[channel] as z.ZodType<SettingsInvokes[C]['req']>).safeParse(payload ?? null);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return err(`${where}${issue?.message ?? 'invalid'}`);
}
