// A problem of the configuration, and how the checks collect them: every problem at once, not the first.

/** One problem: the setting's path in platform.yaml and what is wrong with it. */
export interface ConfigProblem {
  readonly setting: readonly (string | number)[];
  readonly message: string;
}

/** A list of problems and `check(setting, fn)`, which adds the message of what `fn` throws at `setting`. */
export function problemList(): { problems: ConfigProblem[]; check: (setting: readonly string[], fn: () => void) => void } {
  const problems: ConfigProblem[] = [];
  return {
    problems,
    check: (setting, fn) => {
      try {
        fn();
      } catch (e) {
        problems.push({ setting, message: (e as Error).message });
      }
    },
  };
}
