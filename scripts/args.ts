// Command-line options for the scripts, parsed by node's util.parseArgs; errors carry the usage line.
import { parseArgs, ParseArgsConfig } from 'util';

/** Parses `argv` strictly against `options`; any mistake throws with the message and `usage`. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: T, usage: string) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new Error(`${(e as Error).message.replace(/\.$/, '')}: ${usage}`);
  }
}

/** A positive whole number given as an option, or a message naming the option, the value and an example. */
export function positiveInteger(option: string, value: string, what: string, example: string): number {
  if (!/^[1-9][0-9]*$/.test(value)) throw new Error(`${option} "${value}" is not ${what}: use e.g. ${option} ${example}`);
  return Number(value);
}
