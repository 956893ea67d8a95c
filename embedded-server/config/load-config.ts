/**
 * The whole configuration path of the CLI (`serve` and `token` share it, so a minted token works
 * against a running `serve`): read the file, pick secrets (flag → file → stored secrets, generated
 * on first run), resolve and validate.
 */
import type { Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import { loadConfigFile, parseConfigFile } from './config-file.js';
import type { CliOverrides, FallbackSecrets, ResolvedConfig } from './resolve-config.js';
import { givenSecrets, resolveConfig } from './resolve-config.js';
import { configDir, generateSecret, loadOrCreateSecrets } from './secrets.js';

export interface LoadConfigRequest {
  /** --config FILE; undefined = no file (defaults and default namespaces). */
  configPath?: string;
  overrides: CliOverrides;
  /** Where stored secrets live; defaults to configDir(). */
  secretsDir?: string;
  /**
   * The caller needs only the token secret (`switchboard token`): when a flag or the file gives it,
   * the stored-secrets file is neither read nor created, and config.apiKey is a throwaway value.
   */
  tokenOnly?: boolean;
}

export interface LoadedConfig extends ResolvedConfig {
  /** The stored-secrets file used, when a secret came from it. */
  secretsPath?: string;
  /** True when this run generated the stored secrets. */
  secretsCreated: boolean;
}

/** File + flags + stored secrets → a validated ClusterConfig, or readable error lines. */
export function loadConfig(request: LoadConfigRequest): Result<LoadedConfig, string[]> {
  let raw: unknown;
  if (request.configPath !== undefined) {
    const read = loadConfigFile(request.configPath);
    if (!read.ok) return err([read.error]);
    raw = read.value;
  }
  const parsed = parseConfigFile(raw);
  if (!parsed.ok) return parsed;
  const given = givenSecrets(parsed.value.file, request.overrides);
  if (given.tokenSecret !== undefined && (given.apiKey !== undefined || request.tokenOnly === true)) {
    const fallback = { tokenSecret: given.tokenSecret, apiKey: given.apiKey ?? generateSecret() };
    const resolved = resolveConfig(raw, request.overrides, fallback);
    return resolved.ok ? ok({ ...resolved.value, secretsCreated: false }) : resolved;
  }
  const stored = loadOrCreateSecrets(request.secretsDir ?? configDir());
  if (!stored.ok) return err([stored.error]);
  const fallback: FallbackSecrets = stored.value.secrets;
  const resolved = resolveConfig(raw, request.overrides, fallback);
  if (!resolved.ok) return resolved;
  return ok({ ...resolved.value, secretsPath: stored.value.path, secretsCreated: stored.value.created });
}
