/**
 * Page-side handles on the workers. The theory worker answers requests (latest wins). Monte Carlo
 * runs in a worker that is thrown away when a newer setting arrives mid-run — a running engine
 * cannot read messages, so terminating is the only prompt cancel — with a warm spare standing by so
 * the next run starts without loading the bundle again.
 */
import type { FromWorker, ToWorker } from './protocol.js';

export type WorkerFactory = (role: 'theory' | 'derivation' | 'monteCarlo' | 'report') => Worker;

type Pending = { resolve: (message: FromWorker) => void; reject: (error: Error) => void };

/** Request/response over one worker; each request gets the reply carrying its id. */
export class TheoryClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(factory: WorkerFactory, onCrash: (message: string) => void, role: 'theory' | 'derivation' | 'report' = 'theory') {
    this.worker = factory(role);
    this.worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
      const handler = this.pending.get(event.data.id);
      if (!handler) return;
      this.pending.delete(event.data.id);
      handler.resolve(event.data);
    });
    this.worker.addEventListener('error', (event) => {
      onCrash(event.message || 'the theory worker stopped');
      for (const handler of this.pending.values()) handler.reject(new Error(event.message));
      this.pending.clear();
    });
  }

  request(message: DistributiveOmit<ToWorker, 'id'>): Promise<FromWorker> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id } as ToWorker);
    });
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
  run(message: Omit<Extract<ToWorker, { type: 'measure' }>, 'id'>, onMessage: (message: FromWorker) => void): () => void {
    this.cancel();
    const worker = this.active ?? this.takeSpare();
    this.active = worker;
    this.busy = true;
    const id = this.nextId++;
    const listener = (event: MessageEvent<FromWorker>): void => {
      if (event.data.id !== id) return;
      const done = event.data.type === 'error' || (event.data.type === 'partial' && event.data.final);
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
