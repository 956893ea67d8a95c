/**
 * Secrets that must survive restarts so tokens and API clients keep working: the HMAC token secret and
 * the HTTP API key. When neither a flag nor the config file gives them, they are generated on first
 * run (32 random bytes, base64url) and kept in `<config dir>/secrets.json` with mode 0600.
 * The admin token is not stored: it is fresh on every launch unless given.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
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
  /** Set when the existing file is readable by other users: what to run to fix it. */
  warning?: string;
}

const fileSchema = z.object({ token_secret: z.string().min(16), api_key: z.string().min(16) });

/**
 * A fresh random secret: 32 bytes, base64url (43 characters), beginning with a letter or digit — one
 * beginning with "-" would read as an option on a command line (`--token-secret -x…`).
 */
export function generateSecret(): string {
  for (;;) {
    const secret = randomBytes(32).toString('base64url');
    if (/^[A-Za-z0-9]/.test(secret)) return secret;
  }
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A default supervisor id: `sb-` and 6 random base32 characters (30 bits). */
export function randomSupervisorName(): string {
  return 'sb-' + [...randomBytes(6)].map((b) => BASE32[b & 31]).join('');
}

/** `$SWITCHBOARD_CONFIG_DIR`, else `$XDG_CONFIG_HOME/switchboard`, else `~/.config/switchboard`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SWITCHBOARD_CONFIG_DIR) return env.SWITCHBOARD_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'switchboard');
  return join(homedir(), '.config', 'switchboard');
}

/**
 * Reads the stored secrets, generating and storing them (mode 0600) the first time. A file other
 * users may read is used with a warning (see {@link modeWarning}); a dangling symlink in its place is
 * an error naming the link, never a retry loop.
 */
export function loadOrCreateSecrets(dir: string = configDir()): Result<SecretsFile, string> {
  const path = join(dir, 'secrets.json');
  const existing = readSecrets(path);
  if (existing !== 'missing') return existing.ok ? ok(foundSecrets(existing.value, path)) : existing;
  const dangling = danglingLink(path);
  if (dangling !== undefined) return err(dangling);
  const secrets: StoredSecrets = { tokenSecret: generateSecret(), apiKey: generateSecret() };
  const text = `${JSON.stringify({ token_secret: secrets.tokenSecret, api_key: secrets.apiKey, created_at: new Date().toISOString() }, null, 2)}\n`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return raceWinner(path);
    return err(`cannot store generated secrets in ${path}: ${(e as Error).message} (set SWITCHBOARD_CONFIG_DIR, or pass --token-secret and --api-key)`);
  }
  return ok({ secrets, path, created: true });
}

// Another first run won the race: use what it wrote. Read once more only, so a path that exists but
// cannot be read as a file can never loop.
function raceWinner(path: string): Result<SecretsFile, string> {
  const again = readSecrets(path);
  if (again === 'missing') return err(danglingLink(path) ?? `${path} appeared and vanished while it was being created; try again`);
  return again.ok ? ok(foundSecrets(again.value, path)) : again;
}

function foundSecrets(secrets: StoredSecrets, path: string): SecretsFile {
  const warning = modeWarning(path);
  return warning === undefined ? { secrets, path, created: false } : { secrets, path, created: false, warning };
}

/**
 * A warning when other users may read the file (group or world bits set), with the command that
 * fixes it. Warned, not refused: the file was already readable, so refusing would not undo that, and
 * it would stop the desktop app where no terminal is at hand.
 */
export function modeWarning(path: string): string | undefined {
  if (process.platform === 'win32') return undefined;
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    return undefined;
  }
  if ((mode & 0o077) === 0) return undefined;
  const octal = mode.toString(8).padStart(4, '0');
  return `${path} is readable by other users (mode ${octal}): run  chmod 600 '${path}'  ` +
    '(and delete the file to generate new secrets if someone else may have read them)';
}

/** An error naming `path` when it is a symlink whose target does not exist. */
function danglingLink(path: string): string | undefined {
  try {
    if (!lstatSync(path).isSymbolicLink()) return undefined;
  } catch {
    return undefined;
  }
  let target = '?';
  try {
    target = readlinkSync(path);
  } catch {
    // Keep '?': the message still names the link itself.
  }
  return `${path} is a symbolic link to ${target}, which does not exist: restore the target, or remove the link (rm '${path}') to generate new secrets there`;
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
