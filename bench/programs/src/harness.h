/* Bare-metal benchmark frame: `iterations` (patched by bench/run.js) drives the loop; the
   program exits through HTIF tohost with 1 (pass). */
#define BENCH_EXIT          \
  li a0, 1;                 \
  la t5, tohost;            \
  sd a0, 0(t5);             \
1: j 1b

#define BENCH_DATA(rounds)               \
  .section .tohost, "aw", @progbits;     \
  .align 6;                              \
  .globl tohost;                         \
tohost: .dword 0;                        \
  .size tohost, 8;                       \
  .globl fromhost;                       \
fromhost: .dword 0;                      \
  .size fromhost, 8;                     \
  .data;                                 \
  .align 3;                              \
  .globl iterations;                     \
iterations: .dword rounds;               \
  .size iterations, 8
