/**
 * A Monte Carlo worker: the project's engine with the tfjs-wasm backend (float32) or the plain one
 * (float64), streaming statistics after every replicate network.
 */
import { browserBackends } from './backend.js';
import { streamMeasurement } from './measure.js';
import { streamViewMeasurement } from './views/measure.js';
import { post, scope, serve } from './worker-common.js';

// The wasm binaries sit in wasm/ next to this script; load them at start-up so the first run does
// not wait for compilation (the page keeps a warm spare worker).
const backends = browserBackends(new URL('./wasm/', scope.location.href).href);
void backends('float32');

serve(async (message) => {
  if (message.type === 'viewMeasure') {
    // The views' samplers run on the plain float64 backend of the library (src/explorer/app/views/measure.ts).
    await streamViewMeasurement(message.state, (result, done, total, final) => post({ type: 'viewPartial', id: message.id, result, done, total, final }));
    return;
  }
  if (message.type !== 'measure') throw new Error(`the Monte Carlo worker does not handle ${message.type}`);
  const backend = await backends(message.state.dtype);
  await streamMeasurement(message.state, message.which, {
    backend,
    onPartial: (curve, final) => post({ type: 'partial', id: message.id, curve: { ...curve, backend: backend.name }, final }),
  });
});
