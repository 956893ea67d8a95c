/** What the `switchboard` commands share: output, exit codes, flag errors as one line, config reporting. */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { Result } from '../shared/result.js';
import { err, ok } from '../shared/result.js';
import type { LoadedConfig } from './config/index.js';
import { closest } from './config/suggest.js';

/** A flag or the config needs changing. */
export const EXIT_USAGE = 2;

/** A command's exit code, or 'running' while it serves until a signal. */
export type Outcome = number | 'running';

export const say = (text: string): void => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
export const complain = (text: string): void => void process.stderr.write(`switchboard: ${text}\n`);

export function usageError(text: string): number {
  complain(text);
  return EXIT_USAGE;
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
/** The flag values `parseArgs` answers for a command's options. */
export type Flags<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ options: O; strict: true }>>['values'];

/**
 * A command's flags; or its exit code, once a wrong flag was reported (usage error) or `--help`
 * printed its help (0).
 */
export function commandFlags<O extends OptionsConfig>(command: string, args: string[], options: O, help: string): Flags<O> | number {
  let values: Flags<O>;
  try {
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values as Flags<O>;
  } catch (e) {
    return usageError(describeArgsError(e, command, Object.keys(options)));
  }
  if ((values as { help?: boolean }).help) {
    say(help);
    return 0;
  }
  return values;
}

/** Node's parseArgs errors → one line naming the option, with a "did you mean". */
export function describeArgsError(e: unknown, command: string, known: readonly string[]): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  const seeHelp = `see switchboard ${command} --help`;
  const flag = quoted.replace(/ <value>$/, '');
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const guess = closest(flag.replace(/^-+/, ''), known);
    return `unknown option ${flag} (${guess === undefined ? '' : `did you mean --${guess}? `}${seeHelp})`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument '${quoted}' (${seeHelp})`;
  if (message.includes('does not take an argument')) return `option ${flag} takes no value (${seeHelp})`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && message.includes('starting with a dash')) {
    return `option ${flag} needs a value; a value that begins with "-" goes as ${flag}=<value> (${seeHelp})`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `option ${flag} needs a value (${seeHelp})`;
  return `${message.split('\n')[0]} (${seeHelp})`;
}

export function wholeNumber(flag: string, text: string | undefined): Result<number | undefined, string> {
  if (text === undefined) return ok(undefined);
  if (!/^\d+$/.test(text)) return err(`${flag} expects a whole number (got "${text}")`);
  return ok(Number(text));
}

/** Prints config problems (one line each) and warnings; the config when it is usable. */
export function reportConfig(loaded: Result<LoadedConfig, string[]>): LoadedConfig | undefined {
  if (!loaded.ok) {
    complain(loaded.error.length === 1 ? `${loaded.error[0]}` : 'invalid configuration:');
    if (loaded.error.length > 1) for (const line of loaded.error) process.stderr.write(`  - ${line}\n`);
    return undefined;
  }
  for (const warning of loaded.value.warnings) complain(`warning: ${warning}`);
  return loaded.value;
}
