/**
 * The explorer never spins forever: a worker stuck in symbolic work (a synchronous loop that cannot
 * be interrupted) is ended after a limit, each request it held is answered in words, and the next
 * request goes to a fresh worker. Timers are injected: no clock is involved.
 */
import { describe, expect, it } from 'vitest';
import type { FromWorker, ToWorker } from '../../src/explorer/app/protocol.js';
import { TheoryClient, timedOutMessage } from '../../src/explorer/app/workers.js';

/** A worker that answers only when told to; records what it was sent and whether it was ended. */
class FakeWorker extends EventTarget {
  sent: ToWorker[] = [];
  terminated = false;
  postMessage(message: ToWorker): void {
    this.sent.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(message: FromWorker): void {
    this.dispatchEvent(Object.assign(new Event('message'), { data: message }));
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const timers: (() => void)[] = [];
  const client = new TheoryClient(
    () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker as unknown as Worker;
    },
    () => undefined,
    'theory',
    { limitMs: 20_000, setTimer: (callback) => timers.push(callback) - 1, clearTimer: (handle) => (timers[handle as number] = () => undefined) },
  );
  return { client, workers, fire: (i: number) => timers[i]() };
}

describe('explorer workers: a stuck request', () => {
  it('a validation that never answers becomes a failed validation in words, and the worker is replaced', async () => {
    const { client, workers, fire } = setup();
    const validation = client.request({ type: 'validate', expression: 'x+x+x' });
    const theory = client.request({ type: 'theory', state: {} as never });
    fire(0); // the limit passes
    expect(await validation).toEqual({ type: 'validation', id: 1, ok: false, message: timedOutMessage(20_000), label: '' });
    expect(await theory).toMatchObject({ type: 'error', id: 2, message: expect.stringMatching(/stopped after 20 s/) });
    expect(workers[0].terminated).toBe(true);
    // The next request goes to a fresh worker and is answered normally.
    const next = client.request({ type: 'vocabulary' });
    expect(workers).toHaveLength(2);
    workers[1].answer({ type: 'error', id: 3, field: '', message: 'fine' });
    expect(await next).toMatchObject({ id: 3, message: 'fine' });
  });

  it('an answer in time cancels the limit', async () => {
    const { client, workers, fire } = setup();
    const reply = client.request({ type: 'vocabulary' });
    workers[0].answer({ type: 'error', id: 1, field: '', message: 'ok' });
    expect(await reply).toMatchObject({ message: 'ok' });
    fire(0); // cleared: does nothing
    expect(workers[0].terminated).toBe(false);
  });
});
