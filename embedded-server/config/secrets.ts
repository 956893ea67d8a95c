/**
 * Secrets that must survive restarts so tokens and API clients keep working: the HMAC token secret and
 * the HTTP API key. When neither a flag nor the config file gives them, they are generated on first
 * run (32 random bytes, base64url) and kept in `<config dir>/secrets.json` with mode 0600.
 * The admin token is not stored: it is fresh on every launch unless given.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';

export interface StoredSecrets {
  /** HS256 secret for connection and subscription tokens (client.token.hmac_secret_key). */
  tokenSecret: string;
  /** Server HTTP API key (http_api.key). */
  apiKey: string;
}

export interface SecretsFile {
  secrets: StoredSecrets;
  /** Where they are kept. */
  path: string;
  /** True when this call generated them. */
  created: boolean;
}

const fileSchema = z.object({ token_secret: z.string().min(16), api_key: z.string().min(16) });

/** A fresh random secret: 32 bytes, base64url (43 characters). */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** `$SWITCHBOARD_CONFIG_DIR`, else `$XDG_CONFIG_HOME/switchboard`, else `~/.config/switchboard`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SWITCHBOARD_CONFIG_DIR) return env.SWITCHBOARD_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'switchboard');
  return join(homedir(), '.config', 'switchboard');
}

/** Reads the stored secrets, generating and storing them (mode 0600) the first time. */
export function loadOrCreateSecrets(dir: string = configDir()): Result<SecretsFile, string> {
  const path = join(dir, 'secrets.json');
  const existing = readSecrets(path);
  if (existing !== 'missing') return existing.ok ? ok({ secrets: existing.value, path, created: false }) : existing;
  const secrets: StoredSecrets = { tokenSecret: generateSecret(), apiKey: generateSecret() };
  const text = `${JSON.stringify({ token_secret: secrets.tokenSecret, api_key: secrets.apiKey, created_at: new Date().toISOString() }, null, 2)}\n`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  } catch (e) {
    // Another first run won the race: use what it wrote.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSecrets(dir);
    return err(`cannot store generated secrets in ${path}: ${(e as Error).message} (set SWITCHBOARD_CONFIG_DIR, or pass --token-secret and --api-key)`);
  }
  return ok({ secrets, path, created: true });
}

function readSecrets(path: string): Result<StoredSecrets, string> | 'missing' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    return err(`cannot read ${path}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const checked = fileSchema.safeParse(parsed);
  if (!checked.success) return err(`${path} is damaged (expected token_secret and api_key); delete it to generate new secrets`);
  return ok({ tokenSecret: checked.data.token_secret, apiKey: checked.data.api_key });
}
