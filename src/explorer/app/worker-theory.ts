/**
 * The theory worker: vocabulary, live validation of custom expressions, predictions, the phase
 * diagram, and (in a second instance, as it is slower) the symbolic derivation. The same modules
 * Node runs.
 */
import { isUserFacingError } from '../../errors.js';
import { activationNames, resolveActivation } from '../../vocabulary/activations/registry.js';
import { describeInits } from '../../vocabulary/inits/registry.js';
import type { Vocabulary } from './protocol.js';
import { computeTheory, createDerivationCache } from './theory.js';
import { computeViewTheory } from './views/theory.js';
import { post, serve } from './worker-common.js';

function vocabulary(): Vocabulary {
  return {
    activations: activationNames.map((name) => {
      const activation = resolveActivation(name);
      return { name, summary: activation.label, parameters: { ...activation.params } };
    }),
    inits: describeInits().map((entry) => ({ name: entry.name, summary: entry.description, parameters: {} })),
  };
}

const derive = createDerivationCache();

serve(async (message) => {
  switch (message.type) {
    case 'vocabulary':
      post({ type: 'vocabulary', id: message.id, vocabulary: vocabulary() });
      return;
    case 'validate':
      try {
        const activation = resolveActivation({ expression: message.expression }, 'activation');
        // A custom activation must have finite Gaussian moments to be usable at all.
        activation.moments(1);
        post({ type: 'validation', id: message.id, ok: true, message: '', label: activation.label });
      } catch (error) {
        if (!isUserFacingError(error)) throw error;
        post({ type: 'validation', id: message.id, ok: false, message: error.message, label: '' });
      }
      return;
    case 'theory':
      post({ type: 'theory', id: message.id, result: computeTheory(message.state) });
      return;
    case 'derivation': {
      const started = performance.now();
      const derivation = derive(message.state);
      post({ type: 'derivation', id: message.id, derivation, elapsedMs: performance.now() - started });
      return;
    }
    case 'viewTheory':
      post({ type: 'viewTheory', id: message.id, result: await computeViewTheory(message.state) });
      return;
    default:
      throw new Error(`the theory worker does not handle ${message.type}`);
  }
});
