// Cleanups that must run when the process is stopped while work is under way: on SIGINT or SIGTERM, or on
// an exit before the work released them. The handlers are installed only while a cleanup is registered.

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
const registered: Array<{ readonly cleanup: () => void }> = [];

function runAll(): void {
  // The newest first: a helm process is stopped before the folder it reads is removed.
  for (const { cleanup } of registered.splice(0).reverse()) {
    try {
      cleanup();
    } catch {
      // Keep cleaning: one failure must not leave the rest behind.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  uninstall();
  // With no listener left, node's default action ends the process as the signal would have; a listener
  // someone else installed has taken charge of the signal, so it is not raised twice.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('exit', runAll);
}

function uninstall(): void {
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.removeListener('exit', runAll);
}

/**
 * Runs `cleanup` if the process gets SIGINT or SIGTERM (then raises the signal again) or exits before the
 * returned function is called. Call the returned function once the work is done; it does not run `cleanup`.
 */
export function onInterrupt(cleanup: () => void): () => void {
  if (registered.length === 0) install();
  const entry = { cleanup };
  registered.push(entry);
  return () => {
    const i = registered.indexOf(entry);
    if (i < 0) return;
    registered.splice(i, 1);
    if (registered.length === 0) uninstall();
  };
}

