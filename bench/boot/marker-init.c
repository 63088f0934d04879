/* PID 1 of the boot benchmark: says userspace was reached, then powers the machine off. */
#include <stdio.h>
#include <unistd.h>
#include <sys/reboot.h>

int main(void) {
  printf("BENCH-USERSPACE\n");
  fflush(stdout);
  sync();
  reboot(RB_POWER_OFF);
  return 1;
}
