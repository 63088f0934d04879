/*
 * prog.c - the bare-metal program tests/gdb/gdb.test.ts debugs with gdb-multiarch.
 *
 * Hart 0: main() computes scale(2.0) = 3.0 and weigh(2) = 193, waits in spin()
 * until the debugger sets `release`, and exits through HTIF with
 * (weigh + leaf(3)) & 0xff = 197. Setting a0 = 1 at weigh's first instruction
 * makes weigh return 162 and the exit code 166.
 * Other harts: secondary() counts in hart_tick() forever.
 */
#include <stdint.h>

volatile uint64_t tohost __attribute__((section(".tohost")));
volatile uint64_t fromhost __attribute__((section(".tohost")));

const int table[8] = {3, 1, 4, 1, 5, 9, 2, 6};
volatile int release;            /* the debugger sets it to leave spin() */
volatile unsigned long spins;
volatile unsigned long ticks[8];
volatile uint32_t code_word;     /* weigh's first instruction as the guest reads it */

void htif_exit(int code)
{
	tohost = ((uint64_t)code << 1) | 1;
	for (;;)
		;
}

double scale(double x)
{
	return x * 1.5;
}

int weigh(int n)
{
	int sum = 0;
	for (int i = 0; i < 8; i++)
		sum += table[i] * (i + n);
	return sum;
}

int leaf(int v)
{
	return v + 1;
}

void spin(void)
{
	while (!release)
		spins++;
}

void hart_tick(long hartid)
{
	ticks[hartid]++;
}

void secondary(long hartid)
{
	for (;;)
		hart_tick(hartid);
}

int main(void)
{
	code_word = *(volatile uint32_t *)(uintptr_t)&weigh;
	double d = scale(2.0);
	int w = weigh(2);
	spin();
	return (w + leaf((int)d)) & 0xff;
}
