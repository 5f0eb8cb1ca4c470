import 'server-only';
import { AppError } from '@/shared/error-model';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { projectRoot } from '@/db/client';

/** One scrypt computation, as the worker runs it. */
export interface ScryptJob {
  password: string;
  salt: Buffer;
  keylen: number;
  N: number;
  r: number;
  p: number;
  maxmem: number;
}

/** Every place in the pool is taken: the caller is refused at once, never queued. */
export class PasswordHashBusyError extends AppError {
  readonly code = 'ERR_PASSWORD_HASH_BUSY';
  declare readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('rate_limited', 'password_hash_busy', 'The server is checking too many passwords right now.', { retryAfterSeconds });
  }
}

/** The worker failed or did not answer in time (it is replaced on the next job). */
export class PasswordHashFailedError extends AppError {
  readonly code = 'ERR_PASSWORD_HASH_FAILED';
  constructor(message: string) {
    super('internal', 'password_hash_failed', message);
  }
}

export interface HashPoolLimits {
  /** Worker threads, each hashing one password at a time. */
  threads: number;
  /** Sign-ins admitted beyond the running ones; any more are refused with PasswordHashBusyError. */
  maxWaiting: number;
  /** A job that takes longer fails (and its worker is replaced). */
  jobTimeoutMs: number;
}

/**
 * One thread and two waiting: on two cores one hash (about 0.4-0.7 s at N=2^17) never takes
 * the core that serves logins, and no admitted sign-in waits more than about two seconds.
 */
export const DEFAULT_HASH_POOL_LIMITS: HashPoolLimits = { threads: 1, maxWaiting: 2, jobTimeoutMs: 30_000 };

/** A place in the pool, held for all the hashing of one sign-in (verify, then maybe re-hash). */
export interface HashTicket {
  scrypt(job: ScryptJob): Promise<Buffer>;
  /** Gives the place back; safe to call twice. */
  release(): void;
}

interface Pending {
  resolve: (key: Buffer) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * A bounded pool of password-hashing worker threads. Admission is synchronous (`admit`), so a
 * sign-in learns whether it may hash before it awaits anything, and a flood is refused at once
 * instead of queueing without end.
 */
export class PasswordHashPool {
  private admitted = 0;
  private nextId = 1;
  private threads: Thread[] = [];
  private averageMs = 500;
  /** Jobs that finished (with a key or an error), for tests and metrics. */
  completed = 0;

  constructor(readonly limits: HashPoolLimits = DEFAULT_HASH_POOL_LIMITS) {}

  /** Sign-ins holding a place right now. */
  get inUse(): number {
    return this.admitted;
  }

  /**
   * Takes a place, or throws PasswordHashBusyError when all are taken. `beyondBound` is for
   * callers that already proved a one-time credential (a setup link): they never are refused.
   */
  admit(options: { beyondBound?: boolean } = {}): HashTicket {
    const bound = this.limits.threads + this.limits.maxWaiting;
    if (!options.beyondBound && this.admitted >= bound) {
      throw new PasswordHashBusyError(Math.max(1, Math.ceil((this.averageMs * this.admitted) / this.limits.threads / 1000)));
    }
    this.admitted++;
    let released = false;
    return {
      scrypt: (job) => (released ? Promise.reject(new PasswordHashFailedError('hash ticket already released')) : this.run(job)),
      release: () => {
        if (released) return;
        released = true;
        this.admitted--;
      },
    };
  }

  /** Stops the worker threads (pending jobs fail). */
  async close(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private run(job: ScryptJob): Promise<Buffer> {
    const thread = this.leastBusyThread();
    const id = this.nextId++;
    const started = Date.now();
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(thread, new PasswordHashFailedError(`password hash took longer than ${this.limits.jobTimeoutMs} ms`));
      }, this.limits.jobTimeoutMs);
      timer.unref();
      thread.pending.set(id, {
        resolve: (key) => {
          this.averageMs = this.averageMs * 0.8 + (Date.now() - started) * 0.2;
          resolve(key);
        },
        reject,
        timer,
      });
      thread.worker.ref();
      thread.worker.postMessage({
        id,
        password: job.password,
        salt: job.salt.toString('base64url'),
        keylen: job.keylen,
        N: job.N,
        r: job.r,
        p: job.p,
        maxmem: job.maxmem,
      });
    });
  }

  private leastBusyThread(): Thread {
    if (this.threads.length < this.limits.threads) return this.spawn();
    return this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private spawn(): Thread {
    const script = path.join(projectRoot(), 'server', 'sessions', 'password-hash-worker.cjs');
    // loaded by path at run time: bundlers must not try to bundle the worker (Next's would)
    const worker = new Worker(`require(${JSON.stringify(script)})`, { eval: true });
    const thread: Thread = { worker, pending: new Map() };
    worker.on('message', (msg: { id: number; key?: string; error?: string }) => {
      const p = thread.pending.get(msg.id);
      if (!p) return;
      thread.pending.delete(msg.id);
      clearTimeout(p.timer);
      this.completed++;
      if (thread.pending.size === 0) worker.unref();
      if (msg.key !== undefined) p.resolve(Buffer.from(msg.key, 'base64url'));
      else p.reject(new PasswordHashFailedError(msg.error ?? 'password hash failed'));
    });
    worker.on('error', (err) => this.fail(thread, new PasswordHashFailedError(`password hash worker failed: ${err.message}`)));
    worker.on('exit', () => this.fail(thread, new PasswordHashFailedError('password hash worker stopped')));
    worker.unref();
    this.threads.push(thread);
    return thread;
  }

  /** Fails every job of a thread and drops it; the next job starts a new one. */
  private fail(thread: Thread, err: Error): void {
    this.threads = this.threads.filter((t) => t !== thread);
    for (const p of thread.pending.values()) {
      clearTimeout(p.timer);
      this.completed++;
      p.reject(err);
    }
    thread.pending.clear();
    void thread.worker.terminate();
  }
}

const KEY = Symbol.for('ice-sso.password-hash-pool');
type G = typeof globalThis & { [KEY]?: PasswordHashPool };

/**
 * The process-wide pool. Kept on `globalThis`: Next bundles its own copy of this module beside
 * the custom server's, and two pools would double the bound.
 */
export function passwordHashPool(): PasswordHashPool {
  const g = globalThis as G;
  return (g[KEY] ??= new PasswordHashPool());
}
