/* rt.h - the C side of the adversarial programs' runtime (rt.S).
   A program defines main(); returning 0 passes, n fails with exit status n.
   CHECK(n, cond) fails with n when cond is false.  Exceptions are unexpected
   (exit status 250) unless a program arms EXPECT_TRAP: then the trapping
   instruction is recorded in last_trap and skipped.  Interrupts go to the
   irq_hook a program installs. */
#ifndef RT_H
#define RT_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;
typedef long i64;

#define RAM_BASE 0x80000000UL
#define CLINT_BASE 0x02000000UL
#define PLIC_BASE 0x0c000000UL
#define UART_BASE 0x10000000UL
#define SYSCON_BASE 0x00100000UL
#define RTC_BASE 0x00101000UL
#define VIRTIO_BASE 0x10001000UL
#define VIRTIO_SLOT(n) (VIRTIO_BASE + 0x1000UL * (n))
#define VIRTIO_SLOTS 8

void exit(int code) __attribute__((noreturn));
void htif_putchar(int c);

#define CHECK(n, cond) do { if (!(cond)) exit(n); } while (0)

/* ---- MMIO ---- */
static inline u8 rd8(u64 a) { return *(volatile u8 *)a; }
static inline u16 rd16(u64 a) { return *(volatile u16 *)a; }
static inline u32 rd32(u64 a) { return *(volatile u32 *)a; }
static inline u64 rd64(u64 a) { return *(volatile u64 *)a; }
static inline void wr8(u64 a, u8 v) { *(volatile u8 *)a = v; }
static inline void wr16(u64 a, u16 v) { *(volatile u16 *)a = v; }
static inline void wr32(u64 a, u32 v) { *(volatile u32 *)a = v; }
static inline void wr64(u64 a, u64 v) { *(volatile u64 *)a = v; }
static inline void fence(void) { __asm__ volatile("fence" ::: "memory"); }

#define csr_read(csr) ({ u64 v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" :: "r"((u64)(v)))
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" :: "r"((u64)(v)))
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" :: "r"((u64)(v)))

/* ---- traps ---- */
struct trap_record {
  u64 cause, tval, epc, count;
};
extern volatile struct trap_record last_trap;
extern volatile int trap_armed;
extern void (*volatile irq_hook)(u64 code);

/* Arm before an instruction that may trap: it is then recorded and skipped. */
static inline void expect_trap(void) {
  last_trap.cause = ~0UL;
  last_trap.tval = 0;
  last_trap.count = 0;
  trap_armed = 1;
  fence();
}
static inline void disarm_trap(void) { trap_armed = 0; fence(); }

/* ---- text output (HTIF console, or the UART under QEMU_VIRT) ---- */
void putchar_(int c);
void puts_(const char *s);
void puthex(u64 v);

/* ---- a small PRNG (xorshift64*), fixed seeds for reproducible runs ---- */
static inline u64 rand64(u64 *state) {
  u64 x = *state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * 0x2545F4914F6CDD1DUL;
}

void *memset_(void *dst, int c, u64 n);

#endif
