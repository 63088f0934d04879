/* rt.c - trap handling and console output for the adversarial C programs. */
#include "rt.h"

volatile struct trap_record last_trap;
volatile int trap_armed;
void (*volatile irq_hook)(u64 code);

/* Called by rt.S's trap entry with the saved registers. */
void trap_handler(u64 *regs) {
  (void)regs;
  u64 cause = csr_read(mcause);
  if ((i64)cause < 0) {
    if (!irq_hook) exit(251); /* an interrupt nobody asked for */
    irq_hook(cause << 1 >> 1);
    return;
  }
  if (!trap_armed) exit(250); /* an exception nobody expected */
  u64 epc = csr_read(mepc);
  last_trap.cause = cause;
  last_trap.tval = csr_read(mtval);
  last_trap.epc = epc;
  last_trap.count++;
  /* Skip the instruction (the programs run at their physical addresses). */
  u16 low = *(volatile u16 *)epc;
  csr_write(mepc, epc + ((low & 3) == 3 ? 4 : 2));
}

void putchar_(int c) {
#ifdef QEMU_VIRT
  while (!(rd8(UART_BASE + 5) & 0x20)) {
  }
  wr8(UART_BASE, (u8)c);
#else
  htif_putchar(c);
#endif
}

void puts_(const char *s) {
  while (*s) putchar_(*s++);
}

void puthex(u64 v) {
  puts_("0x");
  for (int i = 60; i >= 0; i -= 4) putchar_("0123456789abcdef"[(v >> i) & 15]);
}

void *memset_(void *dst, int c, u64 n) {
  volatile u8 *p = dst;
  while (n--) *p++ = (u8)c;
  return dst;
}
