/** The explorer page's entry point: builds the controller on `#app` with workers from worker.js. */
import { Explorer } from './explorer.js';

const root = document.getElementById('app');
if (!root) throw new Error('the page has no #app element');

// The worker scripts sit next to app.js in the build folder, whatever host or sub-path serves it.
const theoryWorkerUrl = new URL('./worker-theory.js', import.meta.url);
const monteCarloWorkerUrl = new URL('./worker-monte-carlo.js', import.meta.url);
const reportWorkerUrl = new URL('./worker-report.js', import.meta.url);
const workerUrls = { theory: theoryWorkerUrl, derivation: theoryWorkerUrl, monteCarlo: monteCarloWorkerUrl, report: reportWorkerUrl };
const explorer = new Explorer({
  root,
  window,
  createWorker: (role) => new Worker(workerUrls[role], { name: `varprop-${role}` }),
});

// Read-only hooks for the end-to-end tests (timings and state); nothing in the page uses them.
(window as unknown as { varprop: { explorer: Explorer } }).varprop = { explorer };

explorer.start().catch((error: unknown) => {
  root.textContent = `The explorer could not start: ${error instanceof Error ? error.message : String(error)}`;
  console.error(error);
});
