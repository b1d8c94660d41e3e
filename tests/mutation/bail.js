// Bail for mutant runs. Stryker turns jest's bail off (jest exits the process on it), so every test that
// covers a mutant would run even after one has killed it. Jest runs the files of a mutant run one after the
// other in Stryker's process; once a test or hook fails, the environment (jest-environment.js) skips the
// rest of that file and the runner (runner.js) does not load the files left: the mutant is killed.
'use strict';

const KILLED = Symbol.for('mutation-testing.killed-mutant');

function activeMutant() {
  return process.env.__STRYKER_ACTIVE_MUTANT__;
}

/** Whether a test of the running mutant run has failed. */
function killedAlready() {
  const mutant = activeMutant();
  return mutant !== undefined && process[KILLED] === mutant;
}

/** Notes that a test or hook of the running mutant run failed. */
function noteFailure() {
  const mutant = activeMutant();
  if (mutant !== undefined) process[KILLED] = mutant;
}

/** Forgets failures: a mutant run starts (Stryker may run the same mutant again in this process). */
function startRun() {
  delete process[KILLED];
}

module.exports = { activeMutant, killedAlready, noteFailure, startRun };
