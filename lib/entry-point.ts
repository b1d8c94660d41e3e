// How every command-line entry point ends: on an error, one line `error: <message>` on stderr and exit 1.

/** Runs `main` when `module` is the program node started; an error becomes `error: …` and exit code 1. */
export function runEntryPoint(module: NodeJS.Module, main: () => Promise<void> | void): void {
  if (require.main !== module) return;
  Promise.resolve()
    .then(main)
    .catch((e: unknown) => {
      process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    });
}
