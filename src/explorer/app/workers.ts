/**
 * Page-side handles on the workers. The theory worker answers requests (latest wins). Monte Carlo
 * runs in a worker that is thrown away when a newer setting arrives mid-run — a running engine
 * cannot read messages, so terminating is the only prompt cancel — with a warm spare standing by so
 * the next run starts without loading the bundle again.
 */
import type { FromWorker, ToWorker } from './protocol.js';

export type WorkerFactory = (role: 'theory' | 'derivation' | 'monteCarlo' | 'report') => Worker;

/**
 * How long one request may take before the worker is given up on. Symbolic work on a user's
 * expression runs synchronously in the worker and cannot be interrupted, so a request that takes
 * this long (generous: a normal derivation takes about a second) ends the worker; the request gets
 * an answer saying so, in words, and the next request starts a fresh worker. The page never spins
 * forever.
 */
export const REQUEST_LIMIT_MS = 60_000;

export function timedOutMessage(limitMs: number): string {
  return `stopped after ${Math.round(limitMs / 1000)} s: this setting needs more symbolic work than the explorer allows; try a shorter expression`;
}

interface TheoryClientOptions {
  limitMs?: number;
  /** Timers, injectable so tests need no clock. */
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

type Pending = { request: DistributiveOmit<ToWorker, 'id'>; resolve: (message: FromWorker) => void; reject: (error: Error) => void; timer: unknown };

/** Request/response over one worker; each request gets the reply carrying its id. */
export class TheoryClient {
  private worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly limitMs: number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(
    private readonly factory: WorkerFactory,
    private readonly onCrash: (message: string) => void,
    private readonly role: 'theory' | 'derivation' | 'report' = 'theory',
    options: TheoryClientOptions = {},
  ) {
    this.limitMs = options.limitMs ?? REQUEST_LIMIT_MS;
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.worker = this.start();
  }

  private start(): Worker {
    const worker = this.factory(this.role);
    worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
      const handler = this.pending.get(event.data.id);
      if (!handler) return;
      this.pending.delete(event.data.id);
      this.clearTimer(handler.timer);
      handler.resolve(event.data);
    });
    worker.addEventListener('error', (event) => {
      this.onCrash(event.message || 'the theory worker stopped');
      for (const handler of this.pending.values()) {
        this.clearTimer(handler.timer);
        handler.reject(new Error(event.message));
      }
      this.pending.clear();
    });
    return worker;
  }

  request(message: DistributiveOmit<ToWorker, 'id'>): Promise<FromWorker> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = this.setTimer(() => this.giveUp(), this.limitMs);
      this.pending.set(id, { request: message, resolve, reject, timer });
      this.worker.postMessage({ ...message, id } as ToWorker);
    });
  }

  /**
   * The worker is stuck in a request: end it, answer every request it held (a validation as a
   * failed validation, anything else as an error, so each panel shows words instead of "Checking…"),
   * and start a fresh worker for what comes next.
   */
  private giveUp(): void {
    this.worker.terminate();
    const message = timedOutMessage(this.limitMs);
    const held = [...this.pending.entries()];
    this.pending.clear();
    this.worker = this.start();
    for (const [id, handler] of held) {
      this.clearTimer(handler.timer);
      handler.resolve(
        handler.request.type === 'validate'
          ? { type: 'validation', id, ok: false, message, label: '' }
          : { type: 'error', id, field: '', message },
      );
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Runs Monte Carlo jobs one at a time; starting a new one cancels the old one. */
export class MonteCarloRunner {
  private active: Worker | null = null;
  private busy = false;
  private spare: Worker | null = null;
  private nextId = 1;

  constructor(private readonly factory: WorkerFactory) {
    this.spare = factory('monteCarlo');
  }

  /**
   * Starts a job; `onMessage` gets every message of this job (partials, then the final one or an
   * error). Returns a cancel function.
   */
  run(message: DistributiveOmit<Extract<ToWorker, { type: 'measure' | 'viewMeasure' }>, 'id'>, onMessage: (message: FromWorker) => void): () => void {
    this.cancel();
    const worker = this.active ?? this.takeSpare();
    this.active = worker;
    this.busy = true;
    const id = this.nextId++;
    const listener = (event: MessageEvent<FromWorker>): void => {
      if (event.data.id !== id) return;
      const done = event.data.type === 'error' || ((event.data.type === 'partial' || event.data.type === 'viewPartial') && event.data.final);
      if (done) {
        worker.removeEventListener('message', listener);
        if (this.active === worker) this.busy = false;
      }
      onMessage(event.data);
    };
    worker.addEventListener('message', listener);
    worker.postMessage({ ...message, id } satisfies ToWorker);
    return () => {
      worker.removeEventListener('message', listener);
      if (this.active === worker && this.busy) this.cancel();
    };
  }

  /** Stops the running job, if any (its worker is discarded). */
  cancel(): void {
    if (this.active && this.busy) {
      this.active.terminate();
      this.active = null;
      this.busy = false;
    }
  }

  private takeSpare(): Worker {
    const worker = this.spare ?? this.factory('monteCarlo');
    this.spare = null;
    // Warm the next spare when the page is idle, not in the middle of this job's start-up.
    setTimeout(() => {
      if (!this.spare) this.spare = this.factory('monteCarlo');
    }, 50);
    return worker;
  }
}

/**
 * Latest-wins requests to a slow worker: while one request runs, newer ones replace each other, and
 * only the newest is sent when the worker is free (a dragged slider must not queue a backlog).
 */
export class LatestOnly<Request, Reply> {
  private running = false;
  private queued: { request: Request; done: (reply: Reply) => void } | null = null;

  constructor(private readonly send: (request: Request) => Promise<Reply>) {}

  request(request: Request, done: (reply: Reply) => void): void {
    if (this.running) {
      this.queued = { request, done };
      return;
    }
    this.running = true;
    void this.send(request)
      .then(done, () => undefined)
      .finally(() => {
        this.running = false;
        const next = this.queued;
        this.queued = null;
        if (next) this.request(next.request, next.done);
      });
  }
}
