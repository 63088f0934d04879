/* hartvm's in-guest compute suite, run as PID 1 of bench/guest/initramfs.cpio.gz.
   Each workload is timed inside the guest (CLOCK_MONOTONIC) and checks its own result, so
   a mis-emulated instruction fails loudly instead of looking fast. Output, one line each:
     BENCH <name> <seconds> <ok|FAIL>      then BENCH-DONE, then power off.
   `bench.quick=1` on the kernel command line shrinks every workload about tenfold. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>

static int quick;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void report(const char *name, double seconds, int ok) {
  printf("BENCH %s %.6f %s\n", name, seconds, ok ? "ok" : "FAIL");
  fflush(stdout);
}

/* ---- SHA-256 (FIPS 180-4) ---- */
static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const uint8_t *p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++) w[i] = (uint32_t)p[4 * i] << 24 | p[4 * i + 1] << 16 | p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    k = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

static void sha256(const uint8_t *msg, size_t len, uint32_t h[8]) {
  static const uint32_t init[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(h, init, sizeof init);
  size_t i = 0;
  for (; i + 64 <= len; i += 64) sha256_block(h, msg + i);
  uint8_t tail[128] = {0};
  size_t rest = len - i;
  memcpy(tail, msg + i, rest);
  tail[rest] = 0x80;
  size_t blocks = rest + 9 > 64 ? 2 : 1;
  uint64_t bits = (uint64_t)len * 8;
  for (int b = 0; b < 8; b++) tail[blocks * 64 - 1 - b] = bits >> (8 * b);
  for (size_t b = 0; b < blocks; b++) sha256_block(h, tail + 64 * b);
}

static void bench_sha256(void) {
  uint32_t h[8];
  sha256((const uint8_t *)"abc", 3, h); /* FIPS 180-4 example: ba7816bf ... f20015ad */
  int ok = h[0] == 0xba7816bf && h[7] == 0xf20015ad;
  size_t len = quick ? (512 << 10) : (4 << 20);
  uint8_t *buf = malloc(len);
  for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)(i * 131 + (i >> 9));
  uint32_t first[8];
  double t0 = now();
  for (int pass = 0; pass < 3; pass++) {
    sha256(buf, len, h);
    if (pass == 0) memcpy(first, h, sizeof h);
    else ok &= memcmp(first, h, sizeof h) == 0;
  }
  report("sha256", now() - t0, ok);
  free(buf);
}

/* ---- sorting ---- */
static uint64_t rng = 88172645463325252ull;
static uint32_t next32(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (uint32_t)rng; }
static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

static void bench_sort(void) {
  size_t n = quick ? 40000 : 400000;
  uint32_t *v = malloc(n * sizeof *v);
  uint64_t sum = 0;
  for (size_t i = 0; i < n; i++) sum += v[i] = next32();
  double t0 = now();
  qsort(v, n, sizeof *v, cmp_u32);
  double t = now() - t0;
  uint64_t after = v[0];
  int ok = 1;
  for (size_t i = 1; i < n; i++) { ok &= v[i - 1] <= v[i]; after += v[i]; }
  report("sort", t, ok && after == sum);
  free(v);
}

/* ---- memory: copies and strided passes ---- */
static void bench_memory(void) {
  size_t len = quick ? (1 << 20) : (8 << 20);
  uint8_t *a = malloc(len), *b = malloc(len);
  uint64_t expect = 0, got = 0;
  for (size_t i = 0; i < len; i++) { a[i] = (uint8_t)(i ^ (i >> 8)); expect += a[i]; }
  double t0 = now();
  for (int r = 0; r < 4; r++) { memcpy(b, a, len); memcpy(a, b, len); }
  for (size_t stride = 64; stride <= 4096; stride *= 64)
    for (size_t s = 0; s < stride; s += 8)
      for (size_t i = s; i < len; i += stride) b[i] ^= 0x5a; /* each byte at most once per stride: undone below */
  for (size_t stride = 64; stride <= 4096; stride *= 64)
    for (size_t s = 0; s < stride; s += 8)
      for (size_t i = s; i < len; i += stride) b[i] ^= 0x5a;
  double t = now() - t0;
  for (size_t i = 0; i < len; i++) got += b[i];
  report("memcpy-strided", t, got == expect && memcmp(a, b, len) == 0);
  free(a);
  free(b);
}

/* ---- a switch-dispatched bytecode interpreter: count primes by trial division ---- */
enum { PUSH, LOAD, STORE, ADD, SUB, MOD, MUL, JLT, JNZ, JZ, JMP, HALT };
static int run_vm(const int *code, long *mem) {
  long stack[16];
  int sp = 0, pc = 0;
  for (;;) {
    int op = code[pc++];
    switch (op) {
      case PUSH: stack[sp++] = code[pc++]; break;
      case LOAD: stack[sp++] = mem[code[pc++]]; break;
      case STORE: mem[code[pc++]] = stack[--sp]; break;
      case ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
      case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case JLT: sp -= 2; if (stack[sp] < stack[sp + 1]) pc = code[pc]; else pc++; break;
      case JNZ: if (stack[--sp]) pc = code[pc]; else pc++; break;
      case JZ: if (!stack[--sp]) pc = code[pc]; else pc++; break;
      case JMP: pc = code[pc]; break;
      case HALT: return 0;
    }
  }
}

static void bench_interp(void) {
  /* mem: 0 = n, 1 = d, 2 = count, 3 = limit */
  static const int code[] = {
    /* 0 */ PUSH, 2, STORE, 0,                     /* n = 2 */
    /* 4 */ LOAD, 0, LOAD, 3, JLT, 12, HALT,        /* while n < limit */
    /* 11 */ HALT,
    /* 12 */ PUSH, 2, STORE, 1,                    /* d = 2 */
    /* 16 */ LOAD, 1, LOAD, 1, MUL, LOAD, 0, PUSH, 1, ADD, JLT, 38, /* d*d < n+1 ? test : prime */
    /* 28 */ LOAD, 2, PUSH, 1, ADD, STORE, 2, JMP, 54, 0,        /* count++ ; next n */
    /* 38 */ LOAD, 0, LOAD, 1, MOD, JZ, 54,          /* n % d == 0 -> composite */
    /* 45 */ LOAD, 1, PUSH, 1, ADD, STORE, 1, JMP, 16, /* d++ */
    /* 54 */ LOAD, 0, PUSH, 1, ADD, STORE, 0, JMP, 4,  /* n++ */
  };
  long mem[4] = {0, 0, 0, quick ? 20000 : 60000};
  double t0 = now();
  run_vm(code, mem);
  report("interp", now() - t0, mem[2] == (quick ? 2262 : 6057)); /* pi(20000), pi(60000) */
}

/* ---- double-precision matrix multiply ---- */
static void bench_matmul(void) {
  int n = quick ? 80 : 200;
  double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n), *c = calloc((size_t)n * n, sizeof(double));
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) { a[i * n + j] = ((i + 2 * j) % 13) / 7.0 - 0.5; b[i * n + j] = ((3 * i + j) % 11) / 5.0 - 1.0; }
  double t0 = now();
  for (int i = 0; i < n; i++)
    for (int k = 0; k < n; k++) {
      double x = a[i * n + k];
      for (int j = 0; j < n; j++) c[i * n + j] += x * b[k * n + j];
    }
  double t = now() - t0;
  int ok = 1; /* every diagonal element recomputed in the same order must match exactly */
  for (int i = 0; i < n; i++) {
    double d = 0;
    for (int k = 0; k < n; k++) d += a[i * n + k] * b[k * n + i];
    ok &= d == c[i * n + i];
  }
  report("matmul", t, ok);
  free(a); free(b); free(c);
}

/* ---- process creation ---- */
static void bench_forkexec(void) {
  int n = quick ? 10 : 100, ok = 1;
  double t0 = now();
  for (int i = 0; i < n; i++) {
    pid_t p = fork();
    if (p == 0) { execl("/bin/true", "true", (char *)0); _exit(127); }
    int status = 0;
    ok &= p > 0 && waitpid(p, &status, 0) == p && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  report("forkexec", now() - t0, ok);
}

int main(void) {
  printf("BENCH-USERSPACE\n");
  fflush(stdout);
  mount("proc", "/proc", "proc", 0, 0);
  char cmdline[512] = {0};
  FILE *f = fopen("/proc/cmdline", "r");
  if (f) { fread(cmdline, 1, sizeof cmdline - 1, f); fclose(f); }
  quick = strstr(cmdline, "bench.quick=1") != 0;
  bench_sha256();
  bench_sort();
  bench_memory();
  bench_interp();
  bench_matmul();
  bench_forkexec();
  printf("BENCH-DONE\n");
  fflush(stdout);
  sync();
  reboot(RB_POWER_OFF);
  return 1;
}
