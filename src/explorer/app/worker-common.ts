/** What both worker entry points share: posting replies and turning errors into words. */
/// <reference lib="webworker" />
import { InputError, isUserFacingError } from '../../errors.js';
import type { FromWorker, ToWorker } from './protocol.js';

export const scope = self as unknown as DedicatedWorkerGlobalScope;

export const post = (message: FromWorker): void => scope.postMessage(message);

export function errorMessage(id: number, error: unknown): FromWorker {
  if (error instanceof InputError) return { type: 'error', id, field: error.field, message: error.message };
  if (isUserFacingError(error)) return { type: 'error', id, field: '', message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { type: 'error', id, field: '', message: `internal error: ${message.split('\n')[0]}` };
}

/** Runs `handle` for every message; a thrown error becomes an `error` reply to that request. */
export function serve(handle: (message: ToWorker) => Promise<void>): void {
  scope.addEventListener('message', (event: MessageEvent<ToWorker>) => {
    const message = event.data;
    void handle(message).catch((error: unknown) => post(errorMessage(message.id, error)));
  });
}
