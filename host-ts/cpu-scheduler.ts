// Machines of one thread taking turns on its CPU by weight (DESIGN.md §10, fleets). Without
// a scheduler every machine runs its own loop and they share the thread as the event loop
// happens to interleave them; with one, a machine runs only while it holds the turn, a turn
// lasts at most `quantum × cpuShare` instructions and `sliceMs` of wall time, and the next
// turn goes to the waiting machine that has retired the fewest instructions per unit of share
// (stride scheduling). Portable: no runtime APIs beyond timers.
import { yieldToEventLoop, now } from "./scheduler.js";
import { HartvmError } from "./errors.js";

export interface CpuSchedulerOptions {
  /**
   * Instructions a turn may retire at cpuShare 1 (default 1 000 000: under a millisecond in
   * compiled code, several interpreted; `sliceMs` caps it). Each switch of machines costs
   * the CPU's caches a refill: 250 000 cost the fleet's job 3% more CPU.
   */
  quantum?: number;
  /** The longest a turn lasts in wall time, and how often the thread's event loop gets to run (default 8 ms). */
  sliceMs?: number;
}

/** A machine's place in a scheduler (internal: the run loop holds one while it runs). */
export class SchedulerTicket {
  /** Instructions retired per unit of share so far: who has had least goes next. */
  pass = 0;
  /** Instructions retired by this machine under the scheduler. */
  retired = 0;
  holding = false;
  private budget = 0;
  private turnStart = 0;
  private grant: (() => void) | null = null;

  /** @internal Use CpuScheduler.join(). */
  constructor(private readonly owner: CpuScheduler, readonly share: number) {}

  /** Resolves once this machine holds the turn. */
  acquire(): Promise<void> {
    if (this.holding) return Promise.resolve();
    return new Promise((resolve) => {
      this.grant = () => {
        this.grant = null;
        this.holding = true;
        this.budget = this.owner.quantum * this.share;
        this.turnStart = now();
        resolve();
      };
      this.owner.enqueue(this);
    });
  }

  /** Instructions this turn may still retire (the run loop's next slice budget, all harts together). */
  remaining(): number {
    return Math.max(0, this.budget);
  }

  /** Accounts `instructions` retired during the turn; true when the turn is over (budget or time spent). */
  charge(instructions: number): boolean {
    this.budget -= instructions;
    this.retired += instructions;
    this.pass += instructions / this.share;
    return this.budget <= 0 || now() - this.turnStart >= this.owner.sliceMs;
  }

  /** Gives the turn up (the turn is over, the machine idles, pauses or exits). */
  release(): void {
    if (!this.holding) return;
    this.holding = false;
    this.owner.released();
  }

  /** The machine is done with the scheduler for good. */
  leave(): void {
    this.release();
    this.owner.forget(this);
  }

  /** @internal */
  granted(): void {
    this.grant?.();
  }
}

export class CpuScheduler {
  readonly quantum: number;
  readonly sliceMs: number;
  private readonly waiting: SchedulerTicket[] = [];
  private holder = false;
  private dispatching = false;
  private lastYield = now();
  /** The pass of the latest turn: a machine that waited (idle, new) starts there, not behind. */
  private virtualTime = 0;
  private readonly members = new Set<SchedulerTicket>();

  constructor(opts: CpuSchedulerOptions = {}) {
    const quantum = opts.quantum ?? 1_000_000;
    const sliceMs = opts.sliceMs ?? 8;
    if (!Number.isSafeInteger(quantum) || quantum < 1000) throw new HartvmError("invalid-config", `the scheduler's quantum must be a whole number of instructions from 1000, got ${quantum}`);
    if (!(sliceMs > 0 && sliceMs <= 1000)) throw new HartvmError("invalid-config", `the scheduler's sliceMs must be above 0 and at most 1000, got ${sliceMs}`);
    this.quantum = quantum;
    this.sliceMs = sliceMs;
  }

  /** Machines currently under this scheduler. */
  get machines(): number {
    return this.members.size;
  }

  /** @internal A machine starts running under this scheduler with this weight. */
  join(share = 1): SchedulerTicket {
    if (!(typeof share === "number" && share > 0 && share <= 1000)) throw new HartvmError("invalid-config", `cpuShare must be a number above 0 and at most 1000, got ${share}`);
    const t = new SchedulerTicket(this, share);
    t.pass = this.virtualTime;
    this.members.add(t);
    return t;
  }

  /** @internal */
  enqueue(t: SchedulerTicket): void {
    if (t.pass < this.virtualTime) t.pass = this.virtualTime; // idle time earns no credit
    this.waiting.push(t);
    this.dispatch();
  }

  /** @internal */
  released(): void {
    this.holder = false;
    this.dispatch();
  }

  /** @internal */
  forget(t: SchedulerTicket): void {
    this.members.delete(t);
    const i = this.waiting.indexOf(t);
    if (i >= 0) this.waiting.splice(i, 1);
  }

  /** Hands the turn to the waiting machine with the lowest pass, after letting the event loop run if it has not for a slice. */
  private dispatch(): void {
    if (this.holder || this.dispatching || this.waiting.length === 0) return;
    if (now() - this.lastYield < this.sliceMs) {
      this.grantNext();
      return;
    }
    this.dispatching = true;
    void yieldToEventLoop().then(() => {
      this.dispatching = false;
      this.lastYield = now();
      if (!this.holder && this.waiting.length > 0) this.grantNext();
    });
  }

  private grantNext(): void {
    let best = 0;
    for (let i = 1; i < this.waiting.length; i++) if (this.waiting[i].pass < this.waiting[best].pass) best = i;
    const [t] = this.waiting.splice(best, 1);
    this.holder = true;
    this.virtualTime = Math.max(this.virtualTime, t.pass);
    t.granted();
  }
}
