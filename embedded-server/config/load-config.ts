/**
 * The whole configuration path of the CLI (`serve` and `token` share it, so a minted token works
 * against a running `serve`): read the file, pick secrets (flag → environment → file → stored
 * secrets, generated on first run), resolve and validate.
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
  /** Where SWITCHBOARD_TOKEN_SECRET and SWITCHBOARD_API_KEY are read; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Environment variables that give a secret without putting it on a command line (/proc/PID/cmdline). */
export const SECRET_ENV = { tokenSecret: 'SWITCHBOARD_TOKEN_SECRET', apiKey: 'SWITCHBOARD_API_KEY' } as const;

/** A flag wins over its environment variable (an empty flag stays, to be refused); an empty variable counts as unset. */
function withEnvSecrets(overrides: CliOverrides, env: NodeJS.ProcessEnv): CliOverrides {
  const pick = (flag: string | undefined, name: string): string | undefined => flag ?? (env[name] || undefined);
  const tokenSecret = pick(overrides.tokenSecret, SECRET_ENV.tokenSecret);
  const apiKey = pick(overrides.apiKey, SECRET_ENV.apiKey);
  return { ...overrides, ...(tokenSecret === undefined ? {} : { tokenSecret }), ...(apiKey === undefined ? {} : { apiKey }) };
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
  const overrides = withEnvSecrets(request.overrides, request.env ?? process.env);
  const given = givenSecrets(parsed.value.file, overrides);
  if (given.tokenSecret !== undefined && (given.apiKey !== undefined || request.tokenOnly === true)) {
    const fallback = { tokenSecret: given.tokenSecret, apiKey: given.apiKey ?? generateSecret() };
    const resolved = resolveConfig(raw, overrides, fallback);
    return resolved.ok ? ok({ ...resolved.value, secretsCreated: false }) : resolved;
  }
  const stored = loadOrCreateSecrets(request.secretsDir ?? configDir());
  if (!stored.ok) return err([stored.error]);
  const fallback: FallbackSecrets = stored.value.secrets;
  const resolved = resolveConfig(raw, overrides, fallback);
  if (!resolved.ok) return resolved;
  const { warning } = stored.value;
  const warnings = warning === undefined ? resolved.value.warnings : [...resolved.value.warnings, warning];
  return ok({ ...resolved.value, warnings, secretsPath: stored.value.path, secretsCreated: stored.value.created });
}
