import { describe, expect, it } from "vitest";
import { Uart16550, POLLS_BEFORE_INPUT, IIR_CTI, IIR_MSI, IIR_NO_INT, IIR_RDI, IIR_RLSI, IIR_THRI, LSR_DR, LSR_OE, LSR_TEMT, LSR_THRE } from "../../devices/uart16550.js";
import { irqProbe } from "./helpers.js";

const RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

function make() {
  const irq = irqProbe();
  const sent: number[] = [];
  const uart = new Uart16550({ irq: irq.line, transmit: (b) => sent.push(b) });
  const r = (o: number) => uart.read(o, 1);
  const w = (o: number, v: number) => uart.write(o, 1, v);
  return { uart, irq, sent, r, w };
}

describe("Uart16550", () => {
  it("resets to QEMU's values", () => {
    const { r } = make();
    expect(r(IIR)).toBe(IIR_NO_INT);
    expect(r(LSR)).toBe(LSR_THRE | LSR_TEMT);
    expect(r(MCR)).toBe(0x08);
    expect(r(MSR)).toBe(0xb0);
    expect(r(IER)).toBe(0);
    expect(r(LCR)).toBe(0);
    expect(r(SCR)).toBe(0);
  });

  it("latches the divisor under DLAB without touching RBR/THR/IER", () => {
    const { r, w, sent } = make();
    w(IER, 0x05);
    w(LCR, 0x83);
    expect(r(DLL)).toBe(0x0c);
    expect(r(DLM)).toBe(0x00);
    w(DLL, 0x01);
    w(DLM, 0x02);
    expect(r(DLL)).toBe(0x01);
    expect(r(DLM)).toBe(0x02);
    expect(sent).toEqual([]);
    w(LCR, 0x03);
    expect(r(LCR)).toBe(0x03);
    expect(r(IER)).toBe(0x05);
    w(LCR, 0x83);
    expect(r(DLL) | (r(DLM) << 8)).toBe(0x0201);
  });

  it("transmits THR writes and keeps the scratch register", () => {
    const { r, w, sent, uart } = make();
    w(THR, 0x41);
    uart.write(0x100 - 8 + THR, 1, 0x42); // the 0x100 window mirrors the 8 registers
    expect(sent).toEqual([0x41, 0x42]);
    expect(r(LSR) & (LSR_THRE | LSR_TEMT)).toBe(LSR_THRE | LSR_TEMT);
    w(SCR, 0x5a);
    expect(r(SCR)).toBe(0x5a);
  });

  it("holds one byte with the FIFO off and refuses the rest (no input lost)", () => {
    const { r, uart } = make();
    expect(uart.canReceive()).toBe(true);
    expect(uart.receive(new Uint8Array([1, 2, 3]))).toBe(1);
    expect(uart.canReceive()).toBe(false);
    expect(r(LSR) & LSR_DR).toBe(LSR_DR);
    expect(r(RBR)).toBe(1);
    expect(r(LSR) & LSR_DR).toBe(0);
    expect(uart.receive(new Uint8Array([2, 3]))).toBe(1);
    expect(r(RBR)).toBe(2);
  });

  it("has a 16-byte RX FIFO, enabled and reset through FCR", () => {
    const { r, w, uart } = make();
    w(FCR, 0x01);
    expect(r(IIR) & 0xc0).toBe(0xc0);
    const input = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
    expect(uart.receive(input)).toBe(16);
    expect(uart.canReceive()).toBe(false);
    expect(uart.receive(input.subarray(16))).toBe(0);
    const got: number[] = [];
    while (r(LSR) & LSR_DR) got.push(r(RBR));
    expect(got).toEqual(Array.from(input.subarray(0, 16)));
    expect(uart.receive(input.subarray(16))).toBe(4);
    w(FCR, 0x03); // RX FIFO reset
    expect(r(LSR) & LSR_DR).toBe(0);
    expect(uart.receive(input)).toBe(16);
    w(FCR, 0x00); // leaving FIFO mode resets the FIFOs
    expect(r(IIR) & 0xc0).toBe(0);
    expect(r(LSR) & LSR_DR).toBe(0);
  });

  it("reports timeout below the trigger level and data-available at it", () => {
    const { r, w, uart, irq } = make();
    w(FCR, 0x81); // FIFO on, trigger 8
    w(IER, 0x01);
    expect(irq.level()).toBe(false);
    uart.receive(new Uint8Array(3));
    expect(irq.level()).toBe(true);
    expect(r(IIR)).toBe(0xc0 | IIR_CTI);
    uart.receive(new Uint8Array(5));
    expect(r(IIR)).toBe(0xc0 | IIR_RDI);
    r(RBR);
    expect(r(IIR)).toBe(0xc0 | IIR_CTI);
    while (r(LSR) & LSR_DR) r(RBR);
    expect(r(IIR)).toBe(0xc0 | IIR_NO_INT);
    expect(irq.level()).toBe(false);
    w(FCR, 0xc1); // trigger 14
    uart.receive(new Uint8Array(14));
    expect(r(IIR)).toBe(0xc0 | IIR_RDI);
    w(FCR, 0x41); // trigger 4
    expect(r(IIR)).toBe(0xc0 | IIR_RDI);
  });

  it("raises THRE when ETBEI rises, clears it on an IIR read or a THR write, and raises it again when THR empties", () => {
    const { r, w, irq, sent } = make();
    w(IER, 0x02);
    expect(irq.level()).toBe(true);
    expect(r(IIR)).toBe(IIR_THRI); // reading IIR reporting THRE clears it
    expect(irq.level()).toBe(false);
    expect(r(IIR)).toBe(IIR_NO_INT);
    const before = irq.changes.length;
    w(THR, 0x33); // clears, transmits, THR empty again: THRE pending again
    expect(sent).toEqual([0x33]);
    expect(irq.level()).toBe(true);
    expect(irq.changes.length).toBe(before + 1);
    expect(r(IIR)).toBe(IIR_THRI);
    // re-enabling ETBEI resamples THRE
    w(IER, 0x00);
    expect(irq.level()).toBe(false);
    w(IER, 0x02);
    expect(irq.level()).toBe(true);
    // writing IER without a rising ETBEI does not resample
    r(IIR);
    w(IER, 0x02);
    expect(irq.level()).toBe(false);
  });

  it("orders IIR sources RLS > RDA > THRE > MSR", () => {
    const { r, w, irq } = make();
    w(FCR, 0x01);
    w(MCR, 0x10); // loopback
    for (let i = 0; i < 17; i++) w(THR, 0x60 + i); // 16 fill the FIFO, the 17th overruns
    w(MCR, 0x12); // RTS -> CTS changes: DCTS
    w(IER, 0x0f);
    expect(irq.level()).toBe(true);
    expect(r(IIR) & 0x0f).toBe(IIR_RLSI);
    const lsr = r(LSR);
    expect(lsr & LSR_OE).toBe(LSR_OE);
    expect(lsr & LSR_DR).toBe(LSR_DR);
    expect(r(LSR) & LSR_OE).toBe(0); // OE clears on read
    expect(r(IIR) & 0x0f).toBe(IIR_RDI);
    const got: number[] = [];
    while (r(LSR) & LSR_DR) got.push(r(RBR));
    expect(got).toEqual(Array.from({ length: 16 }, (_, i) => 0x60 + i)); // overrun byte lost
    expect(r(IIR) & 0x0f).toBe(IIR_THRI);
    expect(r(IIR) & 0x0f).toBe(IIR_MSI);
    expect(r(MSR) & 0x0f).toBe(0x01); // DCTS
    expect(r(IIR) & 0x0f).toBe(IIR_NO_INT);
    expect(irq.level()).toBe(false);
  });

  it("loops THR back to RBR and MCR outputs to MSR inputs in loopback mode", () => {
    const { r, w, sent, uart } = make();
    w(MCR, 0x10);
    expect(r(MSR) & 0xf0).toBe(0x00);
    expect(uart.canReceive()).toBe(false);
    expect(uart.receive(new Uint8Array([9]))).toBe(0);
    w(THR, 0x55);
    expect(sent).toEqual([]);
    expect(r(LSR) & LSR_DR).toBe(LSR_DR);
    expect(r(RBR)).toBe(0x55);
    w(MCR, 0x10 | 0x0a); // RTS + OUT2 -> CTS + DCD (Linux's autoconfig probe)
    expect(r(MSR) & 0xf0).toBe(0x90);
    w(MCR, 0x10 | 0x05); // DTR + OUT1 -> DSR + RI
    expect(r(MSR)).toBe(0x60 | 0x01 | 0x02 | 0x08); // CTS, DSR, DCD changed
    w(MCR, 0x10);
    expect(r(MSR)).toBe(0x02 | 0x04); // DSR changed, RI trailing edge
    w(MCR, 0x08);
    expect(r(MSR)).toBe(0xb0);
    expect(uart.canReceive()).toBe(true);
    w(THR, 0x66);
    expect(sent).toEqual([0x66]);
  });

  it("overruns in 16450 mode by replacing RBR", () => {
    const { r, w } = make();
    w(MCR, 0x10);
    w(THR, 1);
    w(THR, 2);
    expect(r(LSR) & (LSR_OE | LSR_DR)).toBe(LSR_OE | LSR_DR);
    expect(r(RBR)).toBe(2);
  });

  it("saves and restores its state through JSON", () => {
    const a = make();
    a.w(FCR, 0x41);
    a.w(IER, 0x03);
    a.w(LCR, 0x1b);
    a.w(SCR, 0x77);
    a.uart.receive(new Uint8Array([7, 8]));
    const state = JSON.parse(JSON.stringify(a.uart.saveState()));
    const b = make();
    b.uart.loadState(state);
    expect(b.irq.level()).toBe(true); // the restored device drives its line
    for (const reg of [IER, LCR, MCR, SCR]) expect(b.r(reg)).toBe(a.r(reg));
    expect(b.r(IIR)).toBe(a.r(IIR));
    expect([b.r(RBR), b.r(RBR)]).toEqual([7, 8]);
    expect(() => b.uart.loadState({})).toThrow(/bad device state/);
  });

  it("reset drops pending interrupts and data", () => {
    const { r, uart, irq } = make();
    uart.write(IER, 1, 0x03);
    uart.receive(new Uint8Array([1]));
    expect(irq.level()).toBe(true);
    uart.reset();
    expect(irq.level()).toBe(false);
    expect(r(LSR)).toBe(LSR_THRE | LSR_TEMT);
    expect(r(IER)).toBe(0);
  });

  it("emits QEMU's serial node", () => {
    const { uart } = make();
    expect(uart.fdtNode({ base: 0x1000_0000, size: 0x100, irq: 10, plicPhandle: 3 })).toEqual({
      name: "serial@10000000",
      props: {
        interrupts: 10,
        "interrupt-parent": 3,
        "clock-frequency": 0x384000,
        reg: [0, 0x1000_0000, 0, 0x100],
        compatible: "ns16550a",
      },
    });
    expect(() => uart.fdtNode({ base: 0x1000_0000, size: 0x100, plicPhandle: 3 })).toThrow(/irq is required/);
  });

  describe("input for a driver that polls", () => {
    function polled(input: number[]) {
      const irq = irqProbe();
      const uart = new Uart16550({ irq: irq.line, transmit: () => {}, pollInput: () => input.shift() ?? -1 });
      const r = (o: number) => uart.read(o, 1);
      const w = (o: number, v: number) => uart.write(o, 1, v);
      return { uart, irq, r, w, input };
    }
    const pollEmpty = (r: (o: number) => number, n: number) => { for (let i = 0; i < n; i++) expect(r(LSR) & LSR_DR).toBe(0); };

    it(`takes input once LSR was read ${POLLS_BEFORE_INPUT} times in a row with the receiver empty, one byte at a time`, () => {
      const { uart, r, input, irq } = polled([0x61, 0x62]);
      pollEmpty(r, POLLS_BEFORE_INPUT - 1);
      expect(uart.polling).toBe(false);
      expect(r(LSR) & LSR_DR).toBe(LSR_DR); // this read makes it a poller and sees the first byte
      expect(uart.polling).toBe(true);
      expect(input).toEqual([0x62]); // the second waits for the next look
      expect(r(LSR) & LSR_DR).toBe(LSR_DR);
      expect(input).toEqual([0x62]);
      expect(r(RBR)).toBe(0x61);
      expect(r(LSR) & LSR_DR).toBe(LSR_DR);
      expect(r(RBR)).toBe(0x62);
      expect(r(LSR) & LSR_DR).toBe(0);
      expect(irq.level()).toBe(false); // no interrupt was asked for
    });

    it("any other register access in between starts the count again (Linux prints a byte between LSR reads)", () => {
      const { uart, r, w, input } = polled([0x61]);
      for (let i = 0; i < 100; i++) {
        pollEmpty(r, 3);
        w(THR, 0x2e);
      }
      expect(uart.polling).toBe(false);
      expect(input).toEqual([0x61]);
    });

    it("a driver that writes IER or FCR sets the port up again and must be seen polling anew", () => {
      for (const reg of [IER, FCR]) {
        const { uart, r, w, input } = polled([0x61, 0x62]);
        pollEmpty(r, POLLS_BEFORE_INPUT - 1);
        r(LSR);
        r(RBR);
        expect(uart.polling).toBe(true);
        w(reg, 0);
        expect(uart.polling).toBe(false);
        pollEmpty(r, POLLS_BEFORE_INPUT - 1);
        expect(input).toEqual([0x62]);
      }
    });

    it("a driver with the receive interrupt enabled is fed by the host, not by polling", () => {
      const { uart, r, w, input } = polled([0x61]);
      w(IER, 0x01);
      pollEmpty(r, 3 * POLLS_BEFORE_INPUT);
      expect(uart.polling).toBe(false);
      expect(input).toEqual([0x61]);
      expect(uart.listening()).toBe(true);
    });

    it("loopback takes nothing from the host", () => {
      const { uart, r, w, input } = polled([0x61]);
      w(MCR, 0x10);
      pollEmpty(r, 3 * POLLS_BEFORE_INPUT);
      expect(input).toEqual([0x61]);
      expect(uart.polling).toBe(false);
    });

    it("is part of the saved state, and reset forgets it", () => {
      const a = polled([0x61]);
      pollEmpty(a.r, POLLS_BEFORE_INPUT - 1);
      const b = polled([0x61]);
      b.uart.loadState(a.uart.saveState());
      expect(b.r(LSR) & LSR_DR).toBe(LSR_DR); // one more look is enough
      expect(b.uart.polling).toBe(true);
      const c = polled([]);
      c.uart.loadState(b.uart.saveState());
      expect(c.uart.polling).toBe(true);
      c.uart.reset();
      expect(c.uart.polling).toBe(false);
      const { emptyPolls: _e, polled: _p, ...older } = a.uart.saveState() as Record<string, unknown>; // a snapshot from before
      const d = polled([]);
      d.uart.loadState(older as never);
      expect(d.uart.polling).toBe(false);
    });
  });
});
