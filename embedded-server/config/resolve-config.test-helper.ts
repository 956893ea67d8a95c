/** What the config tests share: resolving a file with fixed fallback secrets, expecting success or failure. */
import assert from 'node:assert/strict';
import type { ClusterConfig } from './cluster-config.js';
import type { CliOverrides } from './resolve-config.js';
import { resolveConfig } from './resolve-config.js';

/** The stored secrets the tests resolve against. */
export const FALLBACK_SECRETS = { tokenSecret: 'fallback-token-secret', apiKey: 'fallback-api-key' };

/** Resolves a config that must be valid; answers it with its warnings. */
export function resolveValid(file: unknown, overrides: CliOverrides = {}): { config: ClusterConfig; warnings: string[] } {
  const result = resolveConfig(file, overrides, FALLBACK_SECRETS);
  assert.ok(result.ok, `expected a valid config, got: ${result.ok ? '' : result.error.join('\n')}`);
  return result.value;
}

/** Resolves a config that must be refused; answers its problems. */
export function resolveProblems(file: unknown, overrides: CliOverrides = {}): string[] {
  const result = resolveConfig(file, overrides, FALLBACK_SECRETS);
  assert.equal(result.ok, false, 'expected the config to be rejected');
  return result.ok ? [] : result.error;
}
