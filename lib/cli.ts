// The command line, one way for every entry point: options parsed strictly by node's util.parseArgs,
// `--help` printing usage, options, environment variables and exit codes, a bad argument answered with
// the usage (exit 2), and an error ending the command as one line `error: <message>` (exit 1).
import { parseArgs } from 'util';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** What a string option takes, for the help: `FILE`, `SECONDS`. */
  readonly value?: string;
  readonly description: string;
}

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** How it is run, e.g. `npm run pool`. */
  readonly name: string;
  /** One line: what it does. */
  readonly summary: string;
  readonly options: O;
  /** Positional arguments, e.g. `[DIR]`. @default - none */
  readonly positionals?: { readonly usage: string; readonly max: number; readonly description: string };
  /** Environment variables it reads, with what each does. @default - none */
  readonly environment?: ReadonlyArray<readonly [string, string]>;
  /** Exit codes beyond 0 (success), 1 (an error, said on stderr) and 2 (a bad argument). @default - none */
  readonly exitCodes?: ReadonlyArray<readonly [number, string]>;
}

export type ParsedOptions<O extends Record<string, OptionSpec>> = {
  -readonly [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string;
};

/** A mistake in the arguments: the command answers with its usage and exit code 2. */
export class UsageError extends Error {}

/** The usage line: `npm run pool [-- --file FILE] [--dry-run]`. */
export function usageLine(spec: CommandSpec<any>): string {
  const options = Object.entries<OptionSpec>(spec.options).map(([k, o]) => `[--${k}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}]`);
  const words = [...options, ...(spec.positionals ? [spec.positionals.usage] : [])];
  return `usage: ${spec.name}${words.length ? ` ${spec.name.startsWith('npm run') ? '-- ' : ''}${words.join(' ')}` : ''}`;
}

/** The whole help text. */
export function helpText(spec: CommandSpec<any>): string {
  const lines = [spec.summary, '', usageLine(spec), ''];
  const options: Array<[string, string]> = Object.entries<OptionSpec>(spec.options).map(([k, o]) => [`--${k}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`, o.description]);
  options.push(['--help', 'print this help and exit']);
  if (spec.positionals) options.push([spec.positionals.usage, spec.positionals.description]);
  const table = (title: string, rows: ReadonlyArray<readonly [string, string]>) => {
    const width = Math.max(...rows.map(([k]) => k.length));
    lines.push(title, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`), '');
  };
  table('options:', options);
  if (spec.environment?.length) table('environment:', spec.environment);
  table('exit codes:', [['0', 'success'], ['1', 'an error, said on stderr'], ['2', 'a bad argument'], ...(spec.exitCodes ?? []).map(([c, d]) => [String(c), d] as const)]);
  return lines.join('\n').trimEnd();
}

/** Parses `argv` strictly against the spec; a mistake throws a UsageError naming it. `help` is true for --help / -h. */
export function parseCommandLine<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, argv: readonly string[]):
{ help: boolean; options: ParsedOptions<O>; positionals: string[] } {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true, options: {}, positionals: [] };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv], strict: true, allowPositionals: Boolean(spec.positionals),
      options: Object.fromEntries(Object.entries(spec.options).map(([k, o]) => [k, { type: o.type }])),
    });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument starting with a '-'.*$/s, '').replace(/\.$/, ''));
  }
  if (spec.positionals && parsed.positionals.length > spec.positionals.max) {
    throw new UsageError(`unexpected argument "${parsed.positionals[spec.positionals.max]}"`);
  }
  return { help: false, options: parsed.values as ParsedOptions<O>, positionals: parsed.positionals };
}

/** A positive whole number given as an option, or a UsageError naming the option, the value and an example. */
export function positiveInteger(option: string, value: string, what: string, example: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(value)) throw new UsageError(`${option} ${JSON.stringify(value.slice(0, 40))} is not ${what}: use e.g. ${option} ${example}`);
  return Number(value);
}

/** Ends a command: an error becomes `error: …` on stderr, with the usage for a UsageError. */
function fail(spec: CommandSpec<any>, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof UsageError) {
    process.stderr.write(`error: ${message}\n${usageLine(spec)}\n(${spec.name}${spec.name.startsWith('npm run') ? ' --' : ''} --help for more)\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = 1;
}

/**
 * Runs a command when `module` is the program node started: parses the arguments against `spec`
 * (`--help` prints the help), then calls `main` with them.
 */
export function runCommand<O extends Record<string, OptionSpec>>(
  module: NodeJS.Module, spec: CommandSpec<O>, main: (options: ParsedOptions<O>, positionals: string[]) => Promise<void> | void,
): void {
  if (require.main === module) startCommand(spec, main);
}

/** Runs a command now, as runCommand does: for an entry point started by a launcher rather than by node. */
export function startCommand<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>, main: (options: ParsedOptions<O>, positionals: string[]) => Promise<void> | void,
): void {
  Promise.resolve()
    .then(() => {
      const { help, options, positionals } = parseCommandLine(spec, process.argv.slice(2));
      if (help) {
        process.stdout.write(`${helpText(spec)}\n`);
        return undefined;
      }
      return main(options, positionals);
    })
    .catch((e: unknown) => fail(spec, e));
}
