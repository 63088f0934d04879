// NS16550A UART, as QEMU's `serial` on the virt board (registers one byte apart, no
// reg-shift; the 0x100 window mirrors the 8 registers). Transmission is instantaneous: a
// THR write hands the byte to `transmit` at once and the THR is empty again. There is no
// time base, so the RX character timeout is modelled as having elapsed whenever data sits
// below the trigger level: IIR reports "timeout" (0xC) then, "data available" (0x4) at or
// above it. Host input that does not fit is refused (receive() returns the count taken),
// so none is lost; only the guest's own loopback writes can overrun.
//
// Input reaches two kinds of driver. One that enables the receive interrupt (Linux, when
// a tty opens the port) is fed by the host through receive(). One that polls (U-Boot,
// OpenSBI's getchar, most bare-metal programs) never enables it: once the guest has read
// LSR POLLS_BEFORE_INPUT times in a row, finding the receiver empty and touching no other
// register, it is taken to be polling, and from then on each such read asks `pollInput`
// for one byte, so a polled receiver holds at most one byte the guest has not yet looked
// at. A driver that writes IER or FCR is setting the port up again and must show it polls
// anew. Linux never reads LSR more than a few times in a row (once per character it
// prints), so input is still held while it boots.
import type { Device, DeviceState, FdtContext, IrqLine } from "./device.js";
import { fdtName, fdtReg, requireIrq, stateBool, stateNumber, stateNumbers } from "./device.js";
import type { FdtNode } from "../images/fdt.js";

export interface Uart16550Options {
  irq: IrqLine;
  transmit: (byte: number) => void;
  /** Name for log lines (default "uart0"). */
  name?: string;
  /** The next byte of console input for a driver that polls, or -1 when there is none. */
  pollInput?: () => number;
}

// Register offsets
const RBR_THR_DLL = 0;
const IER_DLM = 1;
const IIR_FCR = 2;
const LCR = 3;
const MCR = 4;
const LSR = 5;
const MSR = 6;
const SCR = 7;

// IER
const IER_RDI = 0x01;
const IER_THRI = 0x02;
const IER_RLSI = 0x04;
const IER_MSI = 0x08;
// IIR
export const IIR_NO_INT = 0x01;
export const IIR_MSI = 0x00;
export const IIR_THRI = 0x02;
export const IIR_RDI = 0x04;
export const IIR_RLSI = 0x06;
export const IIR_CTI = 0x0c;
const IIR_FIFO_ENABLED = 0xc0;
// FCR
const FCR_FE = 0x01;
const FCR_RFR = 0x02;
const FCR_XFR = 0x04;
// LCR
const LCR_DLAB = 0x80;
// MCR
const MCR_DTR = 0x01;
const MCR_RTS = 0x02;
const MCR_OUT1 = 0x04;
const MCR_OUT2 = 0x08;
const MCR_LOOP = 0x10;
// LSR
export const LSR_DR = 0x01;
export const LSR_OE = 0x02;
export const LSR_PE = 0x04;
export const LSR_FE = 0x08;
export const LSR_BI = 0x10;
export const LSR_THRE = 0x20;
export const LSR_TEMT = 0x40;
const LSR_INT_ANY = LSR_OE | LSR_PE | LSR_FE | LSR_BI;
// MSR
const MSR_DCTS = 0x01;
const MSR_DDSR = 0x02;
const MSR_TERI = 0x04;
const MSR_DDCD = 0x08;
const MSR_CTS = 0x10;
const MSR_DSR = 0x20;
const MSR_RI = 0x40;
const MSR_DCD = 0x80;
const MSR_DELTAS = MSR_DCTS | MSR_DDSR | MSR_TERI | MSR_DDCD;
/** Modem inputs outside loopback: carrier, data set ready and clear to send (as QEMU). */
const MSR_STATIC_LINES = MSR_DCD | MSR_DSR | MSR_CTS;

const FIFO_SIZE = 16;
const TRIGGER_LEVELS = [1, 4, 8, 14];
const CLOCK_FREQUENCY = 3_686_400; // QEMU's 0x384000
/** Consecutive reads of an empty receiver's LSR (and nothing else) that make a driver a poller. */
export const POLLS_BEFORE_INPUT = 16;

export class Uart16550 implements Device {
  readonly name: string;
  private readonly irq: IrqLine;
  private readonly transmit: (byte: number) => void;
  private readonly pollInput: () => number;

  // Registers (all plain numbers, see saveState)
  private ier = 0;
  private lcr = 0;
  private mcr = MCR_OUT2;
  private lsrErrors = 0; // OE/PE/FE/BI, cleared by reading LSR
  private msrDeltas = 0; // DCTS/DDSR/TERI/DDCD, cleared by reading MSR
  private scr = 0;
  private fcr = 0; // FE and trigger bits
  private divisor = 0x0c;
  private thrIpending = false;
  private rx: number[] = [];
  private irqLevel = false;
  /** LSR reads in a row that found the receiver empty (no other register accessed). */
  private emptyPolls = 0;
  /** The driver polls: LSR reads with the receiver empty take input from pollInput. */
  private polled = false;

  constructor(opts: Uart16550Options) {
    this.irq = opts.irq;
    this.transmit = opts.transmit;
    this.pollInput = opts.pollInput ?? (() => -1);
    this.name = opts.name ?? "uart0";
  }

  // ---- host side ----

  /** How many bytes receive() would accept now. */
  rxSpace(): number {
    if (this.mcr & MCR_LOOP) return 0; // the serial input is disconnected in loopback
    return this.rxCapacity() - this.rx.length;
  }

  /**
   * Whether a driver is listening for interrupts: the receive interrupt is enabled (Linux
   * enables it when a tty opens the port). Feeding input before that loses it when the
   * driver resets the FIFO. (A polling driver takes its input through pollInput.)
   */
  listening(): boolean {
    return (this.ier & IER_RDI) !== 0;
  }

  /** Whether the guest is known to poll the receiver (tests, debugging). */
  get polling(): boolean {
    return this.polled;
  }

  canReceive(): boolean {
    return this.rxSpace() > 0;
  }

  /** Push host input; returns how many leading bytes were taken (retry the rest later). */
  receive(bytes: Uint8Array): number {
    const n = Math.min(bytes.length, this.rxSpace());
    for (let i = 0; i < n; i++) this.rx.push(bytes[i]);
    if (n > 0) this.updateIrq();
    return n;
  }

  // ---- Device ----

  read(offset: number, _size: 1 | 2 | 4): number {
    const reg = offset & 7;
    if (reg === LSR) this.notePoll();
    else this.emptyPolls = 0;
    switch (reg) {
      case RBR_THR_DLL: {
        if (this.lcr & LCR_DLAB) return this.divisor & 0xff;
        const b = this.rx.length > 0 ? this.rx.shift()! : 0;
        this.updateIrq();
        return b;
      }
      case IER_DLM:
        return this.lcr & LCR_DLAB ? (this.divisor >> 8) & 0xff : this.ier;
      case IIR_FCR: {
        const id = this.pendingId();
        if (id === IIR_THRI) {
          this.thrIpending = false; // reading IIR clears a THRE interrupt it reports
          this.updateIrq();
        }
        return id | (this.fcr & FCR_FE ? IIR_FIFO_ENABLED : 0);
      }
      case LCR:
        return this.lcr;
      case MCR:
        return this.mcr;
      case LSR: {
        const v = this.lsr();
        if (this.lsrErrors) {
          this.lsrErrors = 0;
          this.updateIrq();
        }
        return v;
      }
      case MSR: {
        const v = this.modemLines() | this.msrDeltas;
        if (this.msrDeltas) {
          this.msrDeltas = 0;
          this.updateIrq();
        }
        return v;
      }
      default: // SCR
        return this.scr;
    }
  }

  write(offset: number, _size: 1 | 2 | 4, value: number): void {
    const v = value & 0xff;
    const reg = offset & 7;
    this.emptyPolls = 0;
    if ((reg === IER_DLM || reg === IIR_FCR) && !(reg === IER_DLM && this.lcr & LCR_DLAB)) this.polled = false; // set up again
    switch (reg) {
      case RBR_THR_DLL:
        if (this.lcr & LCR_DLAB) {
          this.divisor = (this.divisor & 0xff00) | v;
        } else {
          this.thrIpending = false; // writing THR clears the THRE interrupt...
          if (this.mcr & MCR_LOOP) this.loopbackReceive(v);
          else this.transmit(v);
          this.thrIpending = true; // ...and the THR empties again at once
          this.updateIrq();
        }
        return;
      case IER_DLM:
        if (this.lcr & LCR_DLAB) {
          this.divisor = (this.divisor & 0x00ff) | (v << 8);
        } else {
          const changed = (this.ier ^ v) & 0x0f;
          this.ier = v & 0x0f;
          // A rising ETBEI with an empty THR raises THRE even if an IIR read had cleared it.
          if (changed & IER_THRI) this.thrIpending = (this.ier & IER_THRI) !== 0;
          this.updateIrq();
        }
        return;
      case IIR_FCR: {
        let f = v;
        if ((f ^ this.fcr) & FCR_FE) f |= FCR_RFR | FCR_XFR; // toggling FIFO mode resets both
        if (f & FCR_RFR) this.rx = [];
        if (f & FCR_XFR) this.thrIpending = true; // the (empty) transmitter is reset: THR empty
        this.fcr = f & (FCR_FE | 0xc0);
        this.updateIrq();
        return;
      }
      case LCR:
        this.lcr = v;
        return;
      case MCR: {
        const before = this.modemLines();
        const wasLoop = (this.mcr & MCR_LOOP) !== 0;
        this.mcr = v & 0x1f;
        if (wasLoop && this.mcr & MCR_LOOP) {
          const after = this.modemLines();
          const changed = before ^ after;
          if (changed & MSR_CTS) this.msrDeltas |= MSR_DCTS;
          if (changed & MSR_DSR) this.msrDeltas |= MSR_DDSR;
          if (changed & MSR_DCD) this.msrDeltas |= MSR_DDCD;
          if (before & MSR_RI && !(after & MSR_RI)) this.msrDeltas |= MSR_TERI;
        }
        this.updateIrq();
        return;
      }
      case LSR:
      case MSR:
        return; // read-only
      default:
        this.scr = v;
    }
  }

  reset(): void {
    this.ier = 0;
    this.lcr = 0;
    this.mcr = MCR_OUT2;
    this.lsrErrors = 0;
    this.msrDeltas = 0;
    this.scr = 0;
    this.fcr = 0;
    this.divisor = 0x0c;
    this.thrIpending = false;
    this.rx = [];
    this.emptyPolls = 0;
    this.polled = false;
    this.updateIrq();
  }

  saveState(): DeviceState {
    return {
      ier: this.ier,
      lcr: this.lcr,
      mcr: this.mcr,
      lsrErrors: this.lsrErrors,
      msrDeltas: this.msrDeltas,
      scr: this.scr,
      fcr: this.fcr,
      divisor: this.divisor,
      thrIpending: this.thrIpending,
      rx: this.rx.slice(),
      emptyPolls: this.emptyPolls,
      polled: this.polled,
    };
  }

  loadState(s: DeviceState): void {
    this.ier = stateNumber(s, "ier") & 0x0f;
    this.lcr = stateNumber(s, "lcr") & 0xff;
    this.mcr = stateNumber(s, "mcr") & 0x1f;
    this.lsrErrors = stateNumber(s, "lsrErrors") & LSR_INT_ANY;
    this.msrDeltas = stateNumber(s, "msrDeltas") & MSR_DELTAS;
    this.scr = stateNumber(s, "scr") & 0xff;
    this.fcr = stateNumber(s, "fcr") & (FCR_FE | 0xc0);
    this.divisor = stateNumber(s, "divisor") & 0xffff;
    this.thrIpending = stateBool(s, "thrIpending");
    this.rx = stateNumbers(s, "rx").map((b) => b & 0xff).slice(0, this.rxCapacity());
    // Absent from snapshots made before polled input existed.
    this.emptyPolls = s.emptyPolls === undefined ? 0 : Math.min(stateNumber(s, "emptyPolls") >>> 0, POLLS_BEFORE_INPUT);
    this.polled = s.polled === undefined ? false : stateBool(s, "polled");
    this.irqLevel = !this.computeLevel(); // force the line to be driven
    this.updateIrq();
  }

  fdtNode(ctx: FdtContext): FdtNode {
    return {
      name: fdtName("serial", ctx.base),
      props: {
        interrupts: requireIrq(ctx, this.name),
        "interrupt-parent": ctx.plicPhandle,
        "clock-frequency": CLOCK_FREQUENCY,
        reg: fdtReg(ctx.base, ctx.size),
        compatible: "ns16550a",
      },
    };
  }

  // ---- internals ----

  /** An LSR read: with the receiver empty it counts towards polling, and a poller gets a byte. */
  private notePoll(): void {
    if (this.rx.length > 0 || this.ier & IER_RDI || this.mcr & MCR_LOOP) {
      this.emptyPolls = 0;
      return;
    }
    if (!this.polled && ++this.emptyPolls >= POLLS_BEFORE_INPUT) this.polled = true;
    if (!this.polled) return;
    const b = this.pollInput();
    if (b >= 0) {
      this.rx.push(b & 0xff);
      this.updateIrq();
    }
  }

  private rxCapacity(): number {
    return this.fcr & FCR_FE ? FIFO_SIZE : 1;
  }

  private triggerLevel(): number {
    return TRIGGER_LEVELS[(this.fcr >> 6) & 3];
  }

  private lsr(): number {
    return (this.rx.length > 0 ? LSR_DR : 0) | this.lsrErrors | LSR_THRE | LSR_TEMT;
  }

  /** MSR status bits (no deltas). In loopback the modem outputs drive the inputs. */
  private modemLines(): number {
    if (!(this.mcr & MCR_LOOP)) return MSR_STATIC_LINES;
    let v = 0;
    if (this.mcr & MCR_RTS) v |= MSR_CTS;
    if (this.mcr & MCR_DTR) v |= MSR_DSR;
    if (this.mcr & MCR_OUT1) v |= MSR_RI;
    if (this.mcr & MCR_OUT2) v |= MSR_DCD;
    return v;
  }

  private loopbackReceive(b: number): void {
    if (this.rx.length < this.rxCapacity()) {
      this.rx.push(b);
    } else {
      this.lsrErrors |= LSR_OE;
      // FIFO mode: the byte in the shift register is lost; 16450 mode: it overwrites RBR.
      if (!(this.fcr & FCR_FE)) this.rx[0] = b;
    }
  }

  /** IIR interrupt id by priority: RLS > RDA/timeout > THRE > MSR. */
  private pendingId(): number {
    if (this.ier & IER_RLSI && this.lsrErrors & LSR_INT_ANY) return IIR_RLSI;
    if (this.ier & IER_RDI && this.rx.length > 0) {
      return this.fcr & FCR_FE && this.rx.length < this.triggerLevel() ? IIR_CTI : IIR_RDI;
    }
    if (this.ier & IER_THRI && this.thrIpending) return IIR_THRI;
    if (this.ier & IER_MSI && this.msrDeltas) return IIR_MSI;
    return IIR_NO_INT;
  }

  private computeLevel(): boolean {
    return this.pendingId() !== IIR_NO_INT;
  }

  private updateIrq(): void {
    const level = this.computeLevel();
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.irq(level);
    }
  }
}
