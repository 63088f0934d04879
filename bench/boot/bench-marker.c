/* Userspace marker of the boot benchmark, run as PID 1 through rdinit=/bench-marker.
 * It writes BENCH-USERSPACE to the kernel log (so the line carries the kernel's own
 * printk timestamp) and to the console, then powers the machine off. No libc: the
 * binary stays a few KB, so the initramfs it is appended to keeps its size. */
#include <stddef.h>

#define SYS_mknodat 33
#define SYS_openat 56
#define SYS_close 57
#define SYS_write 64
#define SYS_sync 81
#define SYS_exit 93
#define SYS_reboot 142
#define AT_FDCWD (-100)
#define O_WRONLY 1
#define S_IFCHR 0020000
#define MAGIC1 0xfee1dead
#define MAGIC2 672274793
#define CMD_POWER_OFF 0x4321fedc

static long sys(long n, long a, long b, long c, long d) {
  register long a7 asm("a7") = n, a0 asm("a0") = a, a1 asm("a1") = b, a2 asm("a2") = c, a3 asm("a3") = d;
  asm volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2), "r"(a3) : "memory");
  return a0;
}

static const char line[] = "BENCH-USERSPACE\n";

void _start(void) {
  /* /dev/kmsg is char 1:11; the initramfs has no devtmpfs mounted yet */
  sys(SYS_mknodat, AT_FDCWD, (long)"/dev/kmsg", S_IFCHR | 0600, (1 << 8) | 11);
  long fd = sys(SYS_openat, AT_FDCWD, (long)"/dev/kmsg", O_WRONLY, 0);
  if (fd >= 0) {
    sys(SYS_write, fd, (long)line, sizeof line - 1, 0);
    sys(SYS_close, fd, 0, 0, 0);
  }
  sys(SYS_write, 1, (long)line, sizeof line - 1, 0);
  sys(SYS_sync, 0, 0, 0, 0);
  sys(SYS_reboot, MAGIC1, MAGIC2, CMD_POWER_OFF, 0);
  sys(SYS_exit, 1, 0, 0, 0);
  for (;;) {}
}
