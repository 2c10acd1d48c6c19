// descent's native kernels: a Node-API addon built from this file at `npm install` when a C compiler is present
// (native/install.mjs; the package falls back to WebAssembly otherwise). Exports, all synchronous:
//   gemm(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, k, n, transA, transB, accumulate)
//       C[m×n] (+)= op(A)·op(B) on Float32Arrays in place, offsets and leading dimensions in elements.
//   adam(w, g, m, v, c1, c2, alpha, eps)      the fused Adam update (same rule as asm/elementwise.ts)
//   relu(x, y), reluGrad(x, g, gx), biasAdd(x, b, y), sumRows(g, out), firstNonFinite(x)   loops for large arrays
//   im2col(x, col, geometry), col2im(col, x, geometry)   convolution's lowering to GEMM (channels last)
//   maxPool(x, y, argmax, geometry)          max pooling with the flat input index of each maximum
//   info()                                    { isa, features, threads, blas, blasPath, ... }
//   configure({ threads, isa, blas })         for DESCENT_THREADS and the tests
// GEMM: a system OpenBLAS or BLIS when dlopen finds one (a tuned, maintained micro-kernel for every CPU), else
// our own Goto/BLIS-structured loops whose micro-kernel is written once with GCC vector extensions and compiled
// three times (AVX-512F, AVX2+FMA, baseline SSE2), chosen at run time with __builtin_cpu_supports. Own threads:
// a small pthread pool; the calling thread takes part, so results never depend on the thread count.
#define NAPI_VERSION 8
#include <node_api.h>
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXT 64
#define KC 256
#define MC 144
#define NC 3072

// ------------------------------------------------------------------ micro-kernels (one source, three ISAs)
// C tile [MR×NR] (+)= Σ_p a[p·MR + r]·b[p·NR + c], a and b packed; NR = 2 vectors.
typedef void (*kernel_fn)(int kc, const float *a, const float *b, float *c, long ldc, int add);

#define DEFINE_KERNEL(NAME, TARGET, W, MR_)                                                                   \
  typedef float NAME##_v __attribute__((vector_size((W) * 4), aligned(4), may_alias));                                   \
  __attribute__((target(TARGET))) static void NAME(int kc, const float *a, const float *b, float *c, long ldc, \
                                                   int add) {                                                 \
    NAME##_v c0[MR_], c1[MR_];                                                                                \
    _Pragma("GCC unroll 16") for (int r = 0; r < MR_; r++) c0[r] = c1[r] = (NAME##_v){0};                    \
    for (int p = 0; p < kc; p++) {                                                                            \
      NAME##_v b0 = *(const NAME##_v *)b, b1 = *(const NAME##_v *)(b + (W));                                  \
      _Pragma("GCC unroll 16") for (int r = 0; r < MR_; r++) {                                                \
        float ar = a[r];                                                                                      \
        c0[r] += ar * b0;                                                                                     \
        c1[r] += ar * b1;                                                                                     \
      }                                                                                                       \
      a += MR_;                                                                                               \
      b += 2 * (W);                                                                                           \
    }                                                                                                         \
    _Pragma("GCC unroll 16") for (int r = 0; r < MR_; r++) {                                                  \
      NAME##_v *row = (NAME##_v *)(c + r * ldc);                                                              \
      if (add) row[0] += c0[r], row[1] += c1[r];                                                              \
      else row[0] = c0[r], row[1] = c1[r];                                                                    \
    }                                                                                                         \
  }

#if defined(__x86_64__) || defined(__i386__)
DEFINE_KERNEL(kernel_avx512, "avx512f,fma", 16, 12)
DEFINE_KERNEL(kernel_avx2, "avx2,fma", 8, 6)
DEFINE_KERNEL(kernel_base, "sse2", 4, 6)
#define X86 1
#else
DEFINE_KERNEL(kernel_base, "", 4, 6)
#define X86 0
#endif

typedef struct {
  const char *name;
  int mr, nr;
  kernel_fn kernel;
} isa_t;

static isa_t ISAS[] = {
#if X86
    {"avx512", 12, 32, kernel_avx512},
    {"avx2", 6, 16, kernel_avx2},
#endif
    {"baseline", 6, 8, kernel_base},
};
static const int NISA = sizeof ISAS / sizeof ISAS[0];

static int isa_supported(int i) {
#if X86
  __builtin_cpu_init();
  if (!strcmp(ISAS[i].name, "avx512")) return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
  if (!strcmp(ISAS[i].name, "avx2")) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  return 1;
}

// ------------------------------------------------------------------ state

static const isa_t *isa;
static int nthreads = 1;
static float *scratch_a[MAXT], *scratch_b[MAXT];

typedef void (*cblas_sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float,
                               float *, int);
static struct {
  void *lib;
  cblas_sgemm_fn sgemm;
  void (*set_threads)(int);
  const char *name, *path;
  char config[160];
  int enabled;
} blas;

// ------------------------------------------------------------------ thread pool
// Workers sleep on a condition variable; run() publishes a job under the mutex, takes part as thread 0, then
// waits for the others. Jobs are coarse (a GEMM part, a slice of a long loop), so wake-up costs are small.

typedef void (*job_fn)(int tid, int nt, void *arg);
static struct {
  pthread_t th[MAXT];
  int started;
  pthread_mutex_t mu;
  pthread_cond_t wake, done;
  long gen;
  job_fn fn;
  void *arg;
  int nt, remaining;
} pool = {.mu = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER, .done = PTHREAD_COND_INITIALIZER};

static void *worker_main(void *p) {
  int id = (int)(intptr_t)p;
  long seen = 0;
  for (;;) {
    pthread_mutex_lock(&pool.mu);
    while (pool.gen == seen) pthread_cond_wait(&pool.wake, &pool.mu);
    seen = pool.gen;
    job_fn fn = pool.fn;
    void *arg = pool.arg;
    int nt = pool.nt;
    pthread_mutex_unlock(&pool.mu);
    if (id < nt) {
      fn(id, nt, arg);
      pthread_mutex_lock(&pool.mu);
      if (--pool.remaining == 0) pthread_cond_signal(&pool.done);
      pthread_mutex_unlock(&pool.mu);
    }
  }
  return NULL;
}

static void run_parallel(job_fn fn, void *arg, int nt) {
  if (nt > nthreads) nt = nthreads;
  while (pool.started < nt - 1) {
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    int ok = pthread_create(&pool.th[pool.started], &at, worker_main, (void *)(intptr_t)(pool.started + 1)) == 0;
    pthread_attr_destroy(&at);
    if (!ok) break;
    pool.started++;
  }
  if (nt > pool.started + 1) nt = pool.started + 1;
  if (nt <= 1) {
    fn(0, 1, arg);
    return;
  }
  pthread_mutex_lock(&pool.mu);
  pool.fn = fn, pool.arg = arg, pool.nt = nt, pool.remaining = nt - 1, pool.gen++;
  pthread_cond_broadcast(&pool.wake);
  pthread_mutex_unlock(&pool.mu);
  fn(0, nt, arg);
  pthread_mutex_lock(&pool.mu);
  while (pool.remaining > 0) pthread_cond_wait(&pool.done, &pool.mu);
  pthread_mutex_unlock(&pool.mu);
}

// ------------------------------------------------------------------ GEMM

typedef struct {
  const float *a, *b;
  float *c;
  long lda, ldb, ldc;
  int m, k, n, ta, tb, acc;
} gemm_t;

// Packing buffers sized for the widest ISA's panels (MC and NC rounded up to whole panels).
static int alloc_scratch(float **a, float **b) {
  if (*a) return 1;
  if (posix_memalign((void **)a, 64, sizeof(float) * (MC + 16) * KC)) return *a = NULL, 0;
  if (posix_memalign((void **)b, 64, sizeof(float) * (NC + 32) * KC)) return free(*a), *a = NULL, 0;
  return 1;
}

// A block (rows i0.., mc×kc from column p0) into MR-high panels; rows past mc are zero.
static void pack_a(const gemm_t *g, int i0, int p0, int mc, int kc, float *dst, int mr) {
  for (int i = 0; i < mc; i += mr) {
    int rows = mc - i < mr ? mc - i : mr;
    for (int p = 0; p < kc; p++) {
      float *d = dst + (long)i * kc + (long)p * mr;
      for (int r = 0; r < rows; r++) {
        long ii = i0 + i + r, pp = p0 + p;
        d[r] = g->ta ? g->a[pp * g->lda + ii] : g->a[ii * g->lda + pp];
      }
      for (int r = rows; r < mr; r++) d[r] = 0;
    }
  }
}

// B block (kc×nc from row p0, column j0) into NR-wide panels; columns past nc are zero.
static void pack_b(const gemm_t *g, int p0, int j0, int kc, int nc, float *dst, int nr) {
  for (int j = 0; j < nc; j += nr) {
    int cols = nc - j < nr ? nc - j : nr;
    float *d = dst + (long)j * kc;
    if (!g->tb) {
      for (int p = 0; p < kc; p++, d += nr) {
        const float *s = g->b + (long)(p0 + p) * g->ldb + j0 + j;
        int c = 0;
        for (; c < cols; c++) d[c] = s[c];
        for (; c < nr; c++) d[c] = 0;
      }
    } else {
      for (int c = 0; c < nr; c++) {
        if (c < cols) {
          const float *s = g->b + (long)(j0 + j + c) * g->ldb + p0;
          for (int p = 0; p < kc; p++) d[(long)p * nr + c] = s[p];
        } else {
          for (int p = 0; p < kc; p++) d[(long)p * nr + c] = 0;
        }
      }
    }
  }
}

// One thread's part: rows [i0, i1) × columns [j0, j1) of C.
static void gemm_block(const gemm_t *g, int i0, int i1, int j0, int j1, float *ap, float *bp) {
  const int mr = isa->mr, nr = isa->nr;
  float tile[16 * 32] __attribute__((aligned(64)));
  for (int jc = j0; jc < j1; jc += NC) {
    int nc = j1 - jc < NC ? j1 - jc : NC;
    // k in equal blocks of at most KC (784 = 4 × 196, not 3 × 256 + 16: a thin last block wastes a C pass).
    int kblocks = (g->k + KC - 1) / KC, kstep = (g->k + kblocks - 1) / kblocks;
    for (int pc = 0; pc < g->k; pc += kstep) {
      int kc = g->k - pc < kstep ? g->k - pc : kstep;
      int add = pc > 0 || g->acc;
      pack_b(g, pc, jc, kc, nc, bp, nr);
      for (int ic = i0; ic < i1; ic += MC) {
        int mc = i1 - ic < MC ? i1 - ic : MC;
        pack_a(g, ic, pc, mc, kc, ap, mr);
        for (int jr = 0; jr < nc; jr += nr) {
          int cols = nc - jr < nr ? nc - jr : nr;
          for (int ir = 0; ir < mc; ir += mr) {
            int rows = mc - ir < mr ? mc - ir : mr;
            float *c = g->c + (long)(ic + ir) * g->ldc + jc + jr;
            const float *a = ap + (long)ir * kc, *b = bp + (long)jr * kc;
            if (rows == mr && cols == nr) {
              isa->kernel(kc, a, b, c, g->ldc, add);
            } else {
              // Edge tile: compute the full tile aside, then write (or add) only its valid corner.
              isa->kernel(kc, a, b, tile, nr, 0);
              for (int r = 0; r < rows; r++)
                for (int q = 0; q < cols; q++)
                  c[(long)r * g->ldc + q] = add ? c[(long)r * g->ldc + q] + tile[r * nr + q] : tile[r * nr + q];
            }
          }
        }
      }
    }
  }
}

typedef struct {
  const gemm_t *g;
  int by_rows, chunk, total;
  atomic_int next;
} split_t;

static void gemm_job(int tid, int nt, void *arg) {
  (void)nt;
  split_t *s = arg;
  for (;;) {
    int part = atomic_fetch_add(&s->next, 1);
    int lo = part * s->chunk;
    if (lo >= s->total) break;
    int hi = lo + s->chunk < s->total ? lo + s->chunk : s->total;
    if (s->by_rows) gemm_block(s->g, lo, hi, 0, s->g->n, scratch_a[tid], scratch_b[tid]);
    else gemm_block(s->g, 0, s->g->m, lo, hi, scratch_a[tid], scratch_b[tid]);
  }
}

/** Below this many multiply-adds one thread is faster than waking another (measured in docs/speed.md). */
#define PARALLEL_MIN_MACS (1L << 20)

// The pool and its buffers serve one caller at a time; a second JS thread (a worker_threads Worker using descent
// at the same moment) runs its product serially on buffers of its own.
static pthread_mutex_t gemm_lock = PTHREAD_MUTEX_INITIALIZER;

static int gemm_own(const gemm_t *g) {
  if (pthread_mutex_trylock(&gemm_lock) != 0) {
    float *a = NULL, *b = NULL;
    if (!alloc_scratch(&a, &b)) return 0;
    gemm_block(g, 0, g->m, 0, g->n, a, b);
    free(a), free(b);
    return 1;
  }
  long macs = (long)g->m * g->n * g->k;
  int nt = macs < PARALLEL_MIN_MACS ? 1 : nthreads;
  // Cut the larger side into one tile-aligned part per thread (each part packs the whole other operand).
  int by_rows = g->m >= g->n;
  int unit = by_rows ? isa->mr : isa->nr, total = by_rows ? g->m : g->n;
  int chunk = ((total + nt - 1) / nt + unit - 1) / unit * unit;
  if (chunk < 4 * unit) chunk = 4 * unit;
  nt = (total + chunk - 1) / chunk < nt ? (total + chunk - 1) / chunk : nt;
  if (nt < 1) nt = 1;
  for (int t = 0; t < nt; t++)
    if (!alloc_scratch(&scratch_a[t], &scratch_b[t])) nt = t;
  if (nt >= 1) {
    split_t s = {.g = g, .by_rows = by_rows, .chunk = chunk, .total = total};
    atomic_init(&s.next, 0);
    run_parallel(gemm_job, &s, nt);
  }
  pthread_mutex_unlock(&gemm_lock);
  return nt >= 1;
}

// Returns 0 only when out of memory for packing buffers.
static int gemm(const gemm_t *g) {
  if (g->m == 0 || g->n == 0) return 1;
  if (g->k == 0) {
    if (!g->acc)
      for (int i = 0; i < g->m; i++) memset(g->c + (long)i * g->ldc, 0, sizeof(float) * g->n);
    return 1;
  }
  if (blas.enabled) {
    // CblasRowMajor = 101, CblasNoTrans = 111, CblasTrans = 112.
    blas.sgemm(101, g->ta ? 112 : 111, g->tb ? 112 : 111, g->m, g->n, g->k, 1.0f, g->a, (int)g->lda, g->b, (int)g->ldb,
               g->acc ? 1.0f : 0.0f, g->c, (int)g->ldc);
    return 1;
  }
  return gemm_own(g);
}

// ------------------------------------------------------------------ elementwise
// Loops written once in plain C and compiled per instruction set (GCC vectorizes them). Arrays of at least
// EW_PARALLEL_MIN elements (Adam: ADAM_PARALLEL_MIN) are cut into one contiguous range per thread, so results
// never depend on the thread count. In-place calls (y == x) are allowed: element i reads only element i.

#define EW_PARALLEL_MIN (1L << 20)
#define ADAM_PARALLEL_MIN (1L << 16)

typedef uint32_t u32_alias __attribute__((may_alias));
#define NONFINITE(bits) (((bits) & 0x7f800000u) == 0x7f800000u)

#define DEFINE_EW(SUF, TARGET)                                                                                      \
  __attribute__((target(TARGET))) static void adam_##SUF(float *restrict w, const float *restrict g,               \
                                                         float *restrict m, float *restrict v, long n, float c1,   \
                                                         float c2, float alpha, float eps) {                       \
    for (long i = 0; i < n; i++) {                                                                                 \
      float gi = g[i], mi = m[i] + (gi - m[i]) * c1, vi = v[i] + (gi * gi - v[i]) * c2;                            \
      m[i] = mi, v[i] = vi, w[i] -= (mi * alpha) / (__builtin_sqrtf(vi) + eps);                                    \
    }                                                                                                              \
  }                                                                                                                \
  /* y = x > 0 ? x : 0 (NaN gives 0, as the TypeScript rule) */                                                    \
  __attribute__((target(TARGET))) static void relu_##SUF(const float *x, float *y, long n) {                       \
    for (long i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0.0f;                                                    \
  }                                                                                                                \
  /* gx = x > 0 ? g : g·0 (g·0 keeps a NaN or infinite g visible) */                                               \
  __attribute__((target(TARGET))) static void relu_grad_##SUF(const float *x, const float *g, float *gx, long n) { \
    for (long i = 0; i < n; i++) gx[i] = x[i] > 0 ? g[i] : g[i] * 0.0f; /* a blend: needs -fno-trapping-math */   \
  }                                                                                                                \
  /* rows of y = rows of x + b (b has m values, n a multiple of m) */                                              \
  __attribute__((target(TARGET))) static void bias_add_##SUF(const float *x, const float *b, float *y, long n,     \
                                                             long m) {                                             \
    for (long r = 0; r < n; r += m)                                                                                \
      for (long j = 0; j < m; j++) y[r + j] = x[r + j] + b[j];                                                     \
  }                                                                                                                \
  /* out[j] = Σ_r g[r·m + j] summed in row order in float32 (the adjoint of bias_add; m = out's length) */          \
  __attribute__((target(TARGET))) static void sum_rows_##SUF(const float *restrict g, float *restrict out, long n,  \
                                                             long m) {                                              \
    for (long j = 0; j < m; j++) out[j] = g[j];                                                                    \
    for (long r = m; r < n; r += m)                                                                                \
      for (long j = 0; j < m; j++) out[j] += g[r + j];                                                             \
  }                                                                                                                \
  /* index of the first NaN or ±Infinity, or −1: blocks are tested branch-free, a flagged block is rescanned */     \
  __attribute__((target(TARGET))) static long nonfinite_##SUF(const float *x, long n) {                            \
    const u32_alias *u = (const u32_alias *)x;                                                                     \
    for (long i0 = 0; i0 < n; i0 += 2048) {                                                                        \
      long i1 = n - i0 < 2048 ? n : i0 + 2048;                                                                     \
      uint32_t bad = 0;                                                                                            \
      for (long i = i0; i < i1; i++) bad |= NONFINITE(u[i]);                                                       \
      if (bad)                                                                                                     \
        for (long i = i0; i < i1; i++)                                                                             \
          if (NONFINITE(u[i])) return i;                                                                           \
    }                                                                                                              \
    return -1;                                                                                                     \
  }

#if X86
DEFINE_EW(avx512, "avx512f")
DEFINE_EW(avx2, "avx2")
DEFINE_EW(base, "sse2")
#else
DEFINE_EW(base, "")
#endif

typedef struct {
  void (*adam)(float *restrict, const float *restrict, float *restrict, float *restrict, long, float, float, float,
               float);
  void (*relu)(const float *, float *, long);
  void (*relu_grad)(const float *, const float *, float *, long);
  void (*bias_add)(const float *, const float *, float *, long, long);
  long (*nonfinite)(const float *, long);
  void (*sum_rows)(const float *restrict, float *restrict, long, long);
} ew_t;

static const ew_t *ew_kernels(void) {
#define EW_TABLE(SUF) {adam_##SUF, relu_##SUF, relu_grad_##SUF, bias_add_##SUF, nonfinite_##SUF, sum_rows_##SUF}
#if X86
  static const ew_t k512 = EW_TABLE(avx512), k2 = EW_TABLE(avx2);
  if (!strcmp(isa->name, "avx512")) return &k512;
  if (!strcmp(isa->name, "avx2")) return &k2;
#endif
  static const ew_t kb = EW_TABLE(base);
  return &kb;
}

typedef enum { EW_ADAM, EW_RELU, EW_RELU_GRAD, EW_BIAS_ADD, EW_NONFINITE } ew_op;
typedef struct {
  ew_op op;
  const ew_t *k;
  float *p[4];
  long n, m, unit;
  float c[4];
  long found[MAXT];
} ew_job_t;

// One thread's range [lo, hi): cut at multiples of unit (16 values, or whole rows for bias_add).
static void ew_range(ew_job_t *j, long lo, long hi, int tid) {
  long n = hi - lo;
  float **p = j->p;
  switch (j->op) {
    case EW_ADAM: j->k->adam(p[0] + lo, p[1] + lo, p[2] + lo, p[3] + lo, n, j->c[0], j->c[1], j->c[2], j->c[3]); break;
    case EW_RELU: j->k->relu(p[0] + lo, p[1] + lo, n); break;
    case EW_RELU_GRAD: j->k->relu_grad(p[0] + lo, p[1] + lo, p[2] + lo, n); break;
    case EW_BIAS_ADD: j->k->bias_add(p[0] + lo, p[1], p[2] + lo, n, j->m); break;
    case EW_NONFINITE: {
      long i = j->k->nonfinite(p[0] + lo, n);
      j->found[tid] = i < 0 ? -1 : lo + i;
      break;
    }
  }
}

static void ew_job(int tid, int nt, void *arg) {
  ew_job_t *j = arg;
  long units = (j->n + j->unit - 1) / j->unit;
  long lo = units * tid / nt * j->unit, hi = tid == nt - 1 ? j->n : units * (tid + 1) / nt * j->unit;
  if (hi > j->n) hi = j->n;
  if (lo < hi) ew_range(j, lo, hi, tid);
}

// Runs the job on the pool when it is large and the pool is free, else on the calling thread.
static long ew_run(ew_job_t *j, long parallel_min) {
  j->k = ew_kernels();
  if (!j->unit) j->unit = 16;
  for (int t = 0; t < MAXT; t++) j->found[t] = -1;
  int nt = j->n >= parallel_min ? nthreads : 1;
  if (nt > 1 && pthread_mutex_trylock(&gemm_lock) == 0) {
    run_parallel(ew_job, j, nt);
    pthread_mutex_unlock(&gemm_lock);
  } else ew_range(j, 0, j->n, 0);
  for (int t = 0; t < MAXT; t++)
    if (j->found[t] >= 0) return j->found[t];  // ranges are in thread order: the first hit is the smallest index
  return -1;
}

// ------------------------------------------------------------------ convolution lowering (channels last)
// The same layout as src/backend/conv.ts: for samples n0..n1 and group grp,
//   col[(n − n0)·P + p, tap·cg + c] = x[n, input position of (p, tap), grp·cg + c], 0 in the padding,
// with P output positions, taps over (kd, kh, kw) and cg = Cin/groups. col2im is the adjoint (adds into x).
typedef struct {
  int D, H, W, OD, OH, OW, KD, KH, KW, sd, sh, sw, dd, dh, dw, pd, ph, pw, cin, groups, n0, n1, grp;
} conv_t;

// A kernel row (KW taps of all Cin channels) inside the image is one run of KW·Cin consecutive values when there is
// one group and no dilation along W: copied (or added back) in one loop. Short runs (Cin = 1) stay inline loops,
// not memcpy calls (hence the attribute: GCC would turn the loops back into calls).
__attribute__((optimize("no-tree-loop-distribute-patterns")))
static void lower(const conv_t *q, float *x, float *col, int adjoint) {
  const int cg = q->cin / q->groups, c0 = q->grp * cg;
  const int contiguous = q->groups == 1 && q->dw == 1;
  const long run = (long)q->KW * q->cin;
  float *cp = col;
  for (int n = q->n0; n < q->n1; n++)
    for (int od = 0; od < q->OD; od++)
      for (int oh = 0; oh < q->OH; oh++)
        for (int ow = 0; ow < q->OW; ow++)
          for (int kd = 0; kd < q->KD; kd++) {
            int id = od * q->sd - q->pd + kd * q->dd;
            for (int kh = 0; kh < q->KH; kh++) {
              int ih = oh * q->sh - q->ph + kh * q->dh;
              int row_ok = id >= 0 && id < q->D && ih >= 0 && ih < q->H;
              long base = (((long)n * q->D + id) * q->H + ih) * q->W;
              int iw0 = ow * q->sw - q->pw;
              if (row_ok && contiguous && iw0 >= 0 && iw0 + q->KW <= q->W) {
                float *px = x + (base + iw0) * q->cin;
                if (adjoint)
                  for (long c = 0; c < run; c++) px[c] += cp[c];
                else
                  for (long c = 0; c < run; c++) cp[c] = px[c];
                cp += run;
                continue;
              }
              for (int kw = 0; kw < q->KW; kw++, cp += cg) {
                int iw = iw0 + kw * q->dw;
                int ok = row_ok && iw >= 0 && iw < q->W;
                float *px = x + (base + iw) * q->cin + c0;
                if (adjoint) {
                  if (ok)
                    for (int c = 0; c < cg; c++) px[c] += cp[c];
                } else if (ok)
                  for (int c = 0; c < cg; c++) cp[c] = px[c];
                else
                  for (int c = 0; c < cg; c++) cp[c] = 0;
              }
            }
          }
}

// ------------------------------------------------------------------ BLAS discovery

static void blas_load(void) {
  // Named libraries only: the generic libblas.so.3 may be the reference BLAS (about 3 GFLOP/s).
  static const char *names[][2] = {
      {"libopenblas.so.0", "OpenBLAS"},
      {"libopenblas.so", "OpenBLAS"},
      {"/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0", "OpenBLAS"},
      {"/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0", "OpenBLAS"},
      {"libblis.so.4", "BLIS"},
      {"libblis.so", "BLIS"},
      {"libopenblas.dylib", "OpenBLAS"},
  };
  const char *only = getenv("DESCENT_BLAS");  // 'none' to use descent's own kernels, or a library path
  if (only && !strcmp(only, "none")) return;
  for (unsigned i = 0; i < sizeof names / sizeof names[0] && !blas.lib; i++) {
    const char *path = only && *only ? only : names[i][0];
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      if (only && *only) return;
      continue;
    }
    cblas_sgemm_fn f = (cblas_sgemm_fn)dlsym(lib, "cblas_sgemm");
    if (!f) {
      dlclose(lib);
      if (only && *only) return;
      continue;
    }
    blas.lib = lib, blas.sgemm = f, blas.path = path, blas.enabled = 1;
    blas.name = dlsym(lib, "openblas_get_config") ? "OpenBLAS" : dlsym(lib, "bli_info_get_version_str") ? "BLIS" : names[i][1];
    char *(*cfg)(void) = (char *(*)(void))dlsym(lib, "openblas_get_config");
    char *(*core)(void) = (char *(*)(void))dlsym(lib, "openblas_get_corename");
    const char *(*bver)(void) = (const char *(*)(void))dlsym(lib, "bli_info_get_version_str");
    if (cfg) snprintf(blas.config, sizeof blas.config, "%s; core %s", cfg(), core ? core() : "?");
    else if (bver) snprintf(blas.config, sizeof blas.config, "BLIS %s", bver());
    blas.set_threads = (void (*)(int))dlsym(lib, "openblas_set_num_threads");
    if (!blas.set_threads) blas.set_threads = (void (*)(int))dlsym(lib, "bli_thread_set_num_threads");
  }
}

// ------------------------------------------------------------------ Node-API glue

#define CHECK(call)                                                  \
  do {                                                               \
    if ((call) != napi_ok) {                                         \
      napi_throw_error(env, NULL, "descent native: " #call " failed"); \
      return NULL;                                                   \
    }                                                                \
  } while (0)

static int get_f32(napi_env env, napi_value v, float **data, size_t *len, const char *what) {
  napi_typedarray_type type;
  void *p;
  napi_value ab;
  size_t off;
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is ||
      napi_get_typedarray_info(env, v, &type, len, &p, &ab, &off) != napi_ok || type != napi_float32_array) {
    char msg[96];
    snprintf(msg, sizeof msg, "descent native: %s must be a Float32Array", what);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  *data = p;
  return 1;
}

static double num(napi_env env, napi_value v) {
  double d = 0;
  if (napi_get_value_double(env, v, &d) != napi_ok) {
    bool b = false;
    if (napi_get_value_bool(env, v, &b) == napi_ok) return b;
  }
  return d;
}

static napi_value js_gemm(napi_env env, napi_callback_info info) {
  size_t argc = 15;
  napi_value v[15];
  CHECK(napi_get_cb_info(env, info, &argc, v, NULL, NULL));
  if (argc < 15) return napi_throw_error(env, NULL, "descent native: gemm takes 15 arguments"), NULL;
  float *a, *b, *c;
  size_t la, lb, lc;
  if (!get_f32(env, v[0], &a, &la, "A") || !get_f32(env, v[3], &b, &lb, "B") || !get_f32(env, v[6], &c, &lc, "C"))
    return NULL;
  double d[15];
  for (int i = 1; i < 15; i++) d[i] = num(env, v[i]);
  gemm_t g = {.lda = (long)d[2], .ldb = (long)d[5], .ldc = (long)d[8], .m = (int)d[9], .k = (int)d[10],
              .n = (int)d[11], .ta = d[12] != 0, .tb = d[13] != 0, .acc = d[14] != 0};
  long ao = (long)d[1], bo = (long)d[4], co = (long)d[7];
  // Bounds: the last element each operand reads or writes must lie inside its array (the TS side names the error).
  long ar = g.ta ? g.k : g.m, ac = g.ta ? g.m : g.k, br = g.tb ? g.n : g.k, bc = g.tb ? g.k : g.n;
  if (g.m < 0 || g.k < 0 || g.n < 0 || ao < 0 || bo < 0 || co < 0 ||
      (g.m && g.k && (ac > g.lda || ao + (ar - 1) * g.lda + ac > (long)la)) ||
      (g.k && g.n && (bc > g.ldb || bo + (br - 1) * g.ldb + bc > (long)lb)) ||
      (g.m && g.n && (g.n > g.ldc || co + (g.m - 1) * g.ldc + g.n > (long)lc)))
    return napi_throw_range_error(env, NULL, "descent native: gemm operands out of bounds"), NULL;
  g.a = a + ao, g.b = b + bo, g.c = c + co;
  if (!gemm(&g)) napi_throw_error(env, NULL, "descent native: out of memory for GEMM packing buffers");
  return NULL;
}

static napi_value js_adam(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value v[8];
  CHECK(napi_get_cb_info(env, info, &argc, v, NULL, NULL));
  float *w, *g, *m, *s;
  size_t lw, lg, lm, ls;
  if (argc < 8 || !get_f32(env, v[0], &w, &lw, "w") || !get_f32(env, v[1], &g, &lg, "g") ||
      !get_f32(env, v[2], &m, &lm, "m") || !get_f32(env, v[3], &s, &ls, "v"))
    return NULL;
  if (lg != lw || lm != lw || ls != lw) return napi_throw_range_error(env, NULL, "descent native: adam lengths differ"), NULL;
  ew_job_t j = {.op = EW_ADAM, .p = {w, g, m, s}, .n = (long)lw};
  for (int i = 0; i < 4; i++) j.c[i] = (float)num(env, v[4 + i]);
  ew_run(&j, ADAM_PARALLEL_MIN);
  return NULL;
}

// relu(x, y), reluGrad(x, g, gx), biasAdd(x, b, y): Float32Arrays of equal length (b: a divisor of it, rows).
static napi_value ew_call(napi_env env, napi_callback_info info, ew_op op, int nargs) {
  size_t argc = 3;
  napi_value v[3];
  CHECK(napi_get_cb_info(env, info, &argc, v, NULL, NULL));
  static const char *names[][3] = {{"x", "y", ""}, {"x", "g", "gx"}, {"x", "b", "y"}};
  const char *const *nm = names[op == EW_RELU ? 0 : op == EW_RELU_GRAD ? 1 : 2];
  float *p[3];
  size_t len[3];
  if ((int)argc < nargs) return napi_throw_error(env, NULL, "descent native: too few arguments"), NULL;
  for (int i = 0; i < nargs; i++)
    if (!get_f32(env, v[i], &p[i], &len[i], nm[i])) return NULL;
  ew_job_t j = {.op = op, .p = {p[0], p[1], p[2]}, .n = (long)len[0]};
  if (op == EW_BIAS_ADD) {
    if (len[2] != len[0] || len[1] == 0 || len[0] % len[1])
      return napi_throw_range_error(env, NULL, "descent native: biasAdd needs x and y of equal length, a multiple of b's"), NULL;
    j.m = (long)len[1], j.unit = (long)len[1];
  } else
    for (int i = 1; i < nargs; i++)
      if (len[i] != len[0]) return napi_throw_range_error(env, NULL, "descent native: elementwise lengths differ"), NULL;
  ew_run(&j, EW_PARALLEL_MIN);
  return NULL;
}
static napi_value js_relu(napi_env env, napi_callback_info info) { return ew_call(env, info, EW_RELU, 2); }
static napi_value js_relu_grad(napi_env env, napi_callback_info info) { return ew_call(env, info, EW_RELU_GRAD, 3); }
static napi_value js_bias_add(napi_env env, napi_callback_info info) { return ew_call(env, info, EW_BIAS_ADD, 3); }

// sumRows(g, out): out[j] = Σ_r g[r·m + j] with m = out's length (one thread: m accumulators in row order).
static napi_value js_sum_rows(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value v[2];
  CHECK(napi_get_cb_info(env, info, &argc, v, NULL, NULL));
  float *g, *out;
  size_t n, m;
  if (argc < 2 || !get_f32(env, v[0], &g, &n, "g") || !get_f32(env, v[1], &out, &m, "out")) return NULL;
  if (m == 0 || n % m) return napi_throw_range_error(env, NULL, "descent native: sumRows needs g's length to be a multiple of out's"), NULL;
  ew_kernels()->sum_rows(g, out, (long)n, (long)m);
  return NULL;
}

static napi_value js_first_nonfinite(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value v[1], r;
  CHECK(napi_get_cb_info(env, info, &argc, v, NULL, NULL));
  float *x;
  size_t n;
  if (argc < 1 || !get_f32(env, v[0], &x, &n, "x")) return NULL;
  ew_job_t j = {.op = EW_NONFINITE, .p = {x}, .n = (long)n};
  CHECK(napi_create_double(env, (double)ew_run(&j, EW_PARALLEL_MIN), &r));
  return r;
}

// im2col(x, col, geometry) and col2im(col, x, geometry): geometry is an Int32Array laid out as conv_t.
static napi_value conv_common(napi_env env, napi_callback_info info, int adjoint) {
  size_t argc = 3;
  napi_value v[3];
  CHECK(napi_get_cb_info(env, info, &argc, v, NULL, NULL));
  float *x, *col;
  size_t lx, lc, lq;
  napi_typedarray_type type;
  void *qp;
  napi_value ab;
  size_t off;
  if (argc < 3 || !get_f32(env, v[adjoint ? 1 : 0], &x, &lx, "x") || !get_f32(env, v[adjoint ? 0 : 1], &col, &lc, "col"))
    return NULL;
  if (napi_get_typedarray_info(env, v[2], &type, &lq, &qp, &ab, &off) != napi_ok || type != napi_int32_array ||
      lq * sizeof(int) < sizeof(conv_t))
    return napi_throw_type_error(env, NULL, "descent native: im2col geometry must be an Int32Array of 23 values"), NULL;
  conv_t q;
  memcpy(&q, qp, sizeof q);
  long cg = q.groups > 0 ? q.cin / q.groups : 0;
  long P = (long)q.OD * q.OH * q.OW, K = (long)q.KD * q.KH * q.KW * cg;
  if (q.groups < 1 || q.cin % q.groups || q.grp < 0 || q.grp >= q.groups || q.n0 < 0 || q.n1 < q.n0 ||
      (long)q.n1 * q.D * q.H * q.W * q.cin > (long)lx || (long)(q.n1 - q.n0) * P * K > (long)lc)
    return napi_throw_range_error(env, NULL, "descent native: im2col operands out of bounds"), NULL;
  lower(&q, x, col, adjoint);
  return NULL;
}
static napi_value js_im2col(napi_env env, napi_callback_info info) { return conv_common(env, info, 0); }
static napi_value js_col2im(napi_env env, napi_callback_info info) { return conv_common(env, info, 1); }

static void set_prop(napi_env env, napi_value obj, const char *key, napi_value val) {
  napi_set_named_property(env, obj, key, val);
}
static napi_value str(napi_env env, const char *s) {
  napi_value v;
  if (!s) return napi_get_null(env, &v), v;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}
static napi_value int32(napi_env env, int i) {
  napi_value v;
  napi_create_int32(env, i, &v);
  return v;
}

static napi_value js_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value o, feats, isas;
  CHECK(napi_create_object(env, &o));
  CHECK(napi_create_array(env, &feats));
  CHECK(napi_create_array(env, &isas));
  int nf = 0;
#if X86
  static const char *fs[] = {"sse4.2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl"};
  __builtin_cpu_init();
#define HAS(f) __builtin_cpu_supports(f)
  int has[] = {HAS("sse4.2"), HAS("avx"), HAS("avx2"), HAS("fma"), HAS("avx512f"), HAS("avx512bw"), HAS("avx512vl")};
  for (unsigned i = 0; i < sizeof fs / sizeof fs[0]; i++)
    if (has[i]) napi_set_element(env, feats, nf++, str(env, fs[i]));
#endif
  for (int i = 0, j = 0; i < NISA; i++)
    if (isa_supported(i)) napi_set_element(env, isas, j++, str(env, ISAS[i].name));
  set_prop(env, o, "isa", str(env, isa->name));
  set_prop(env, o, "isas", isas);
  set_prop(env, o, "features", feats);
  set_prop(env, o, "threads", int32(env, nthreads));
  set_prop(env, o, "blas", str(env, blas.enabled ? blas.name : NULL));
  set_prop(env, o, "blasFound", str(env, blas.lib ? blas.name : NULL));
  set_prop(env, o, "blasPath", str(env, blas.lib ? blas.path : NULL));
  set_prop(env, o, "blasConfig", str(env, blas.lib && blas.config[0] ? blas.config : NULL));
#if defined(__clang__)
  set_prop(env, o, "compiler", str(env, "clang " __clang_version__));
#elif defined(__GNUC__)
  set_prop(env, o, "compiler", str(env, "gcc " __VERSION__));
#endif
  return o;
}

// configure({ threads?, isa?, blas? }): threads for own kernels and the BLAS; isa by name; blas on/off.
static napi_value js_configure(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value v[1], val;
  CHECK(napi_get_cb_info(env, info, &argc, v, NULL, NULL));
  bool has;
  if (argc < 1) return NULL;
  if (napi_has_named_property(env, v[0], "threads", &has) == napi_ok && has) {
    napi_get_named_property(env, v[0], "threads", &val);
    int t = (int)num(env, val);
    nthreads = t < 1 ? 1 : t > MAXT ? MAXT : t;
    if (blas.set_threads) blas.set_threads(nthreads);
  }
  if (napi_has_named_property(env, v[0], "isa", &has) == napi_ok && has) {
    char name[32] = {0};
    size_t len;
    napi_get_named_property(env, v[0], "isa", &val);
    napi_get_value_string_utf8(env, val, name, sizeof name, &len);
    int found = 0;
    for (int i = 0; i < NISA; i++)
      if (!strcmp(ISAS[i].name, name) && isa_supported(i)) isa = &ISAS[i], found = 1;
    if (!found) return napi_throw_error(env, NULL, "descent native: this CPU does not support that instruction set"), NULL;
  }
  if (napi_has_named_property(env, v[0], "blas", &has) == napi_ok && has) {
    bool on = false;
    napi_get_named_property(env, v[0], "blas", &val);
    napi_get_value_bool(env, val, &on);
    blas.enabled = on && blas.lib != NULL;
  }
  return NULL;
}

static napi_value js_max_pool(napi_env env, napi_callback_info info);  // conv helper's section below

static napi_value init(napi_env env, napi_value exports) {
  if (!isa) {
    for (int i = NISA - 1; i >= 0; i--)
      if (isa_supported(i)) isa = &ISAS[i];  // the widest supported (listed first) wins
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    nthreads = cores < 1 ? 1 : cores > MAXT ? MAXT : (int)cores;
    blas_load();
  }
  napi_property_descriptor props[] = {
      {"gemm", NULL, js_gemm, NULL, NULL, NULL, napi_default, NULL},
      {"adam", NULL, js_adam, NULL, NULL, NULL, napi_default, NULL},
      {"relu", NULL, js_relu, NULL, NULL, NULL, napi_default, NULL},
      {"reluGrad", NULL, js_relu_grad, NULL, NULL, NULL, napi_default, NULL},
      {"biasAdd", NULL, js_bias_add, NULL, NULL, NULL, napi_default, NULL},
      {"firstNonFinite", NULL, js_first_nonfinite, NULL, NULL, NULL, napi_default, NULL},
      {"sumRows", NULL, js_sum_rows, NULL, NULL, NULL, napi_default, NULL},
      {"im2col", NULL, js_im2col, NULL, NULL, NULL, napi_default, NULL},
      {"col2im", NULL, js_col2im, NULL, NULL, NULL, napi_default, NULL},
      {"maxPool", NULL, js_max_pool, NULL, NULL, NULL, napi_default, NULL},
      {"info", NULL, js_info, NULL, NULL, NULL, napi_default, NULL},
      {"configure", NULL, js_configure, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)

// ================================================================== pooling kernels (the conv helper's section)
// maxPool(x, y, argmax, geometry): geometry laid out as conv_t (cin = channels, kernel = pool size, n0..n1 = the
// batch, groups 1). y gets each window's maximum over its real inputs, argmax the flat index into x of the first
// maximum; a NaN wins and stays (NaN propagates, as in TensorFlow). Branch-free over the channel row, so the
// comparisons of random data cost no mispredictions and the loop vectorizes (as src/backend/pool.ts, the oracle).
static void max_pool(const conv_t *q, const float *x, float *y, int32_t *am) {
  const long C = q->cin;
  long o = 0;
  for (int n = q->n0; n < q->n1; n++)
    for (int od = 0; od < q->OD; od++)
      for (int oh = 0; oh < q->OH; oh++)
        for (int ow = 0; ow < q->OW; ow++, o += C) {
          float *yo = y + o;
          int32_t *ao = am + o;
          int first = 1;
          for (int kd = 0; kd < q->KD; kd++) {
            int id = od * q->sd - q->pd + kd * q->dd;
            if (id < 0 || id >= q->D) continue;
            for (int kh = 0; kh < q->KH; kh++) {
              int ih = oh * q->sh - q->ph + kh * q->dh;
              if (ih < 0 || ih >= q->H) continue;
              for (int kw = 0; kw < q->KW; kw++) {
                int iw = ow * q->sw - q->pw + kw * q->dw;
                if (iw < 0 || iw >= q->W) continue;
                long i = ((((long)n * q->D + id) * q->H + ih) * q->W + iw) * C;
                const float *px = x + i;
                if (first) {
                  for (long c = 0; c < C; c++) yo[c] = px[c], ao[c] = (int32_t)(i + c);
                  first = 0;
                  continue;
                }
                for (long c = 0; c < C; c++) {
                  float v = px[c], b = yo[c];
                  int take = (v > b) | ((v != v) & (b == b));
                  yo[c] = take ? v : b;
                  ao[c] = take ? (int32_t)(i + c) : ao[c];
                }
              }
            }
          }
        }
}

static napi_value js_max_pool(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value v[4];
  CHECK(napi_get_cb_info(env, info, &argc, v, NULL, NULL));
  float *x, *y;
  size_t lx, ly, la, lq;
  napi_typedarray_type type;
  void *ap, *qp;
  napi_value ab;
  size_t off;
  if (argc < 4 || !get_f32(env, v[0], &x, &lx, "x") || !get_f32(env, v[1], &y, &ly, "y")) return NULL;
  if (napi_get_typedarray_info(env, v[2], &type, &la, &ap, &ab, &off) != napi_ok || type != napi_int32_array)
    return napi_throw_type_error(env, NULL, "descent native: maxPool argmax must be an Int32Array"), NULL;
  if (napi_get_typedarray_info(env, v[3], &type, &lq, &qp, &ab, &off) != napi_ok || type != napi_int32_array ||
      lq * sizeof(int) < sizeof(conv_t))
    return napi_throw_type_error(env, NULL, "descent native: maxPool geometry must be an Int32Array of 23 values"), NULL;
  conv_t q;
  memcpy(&q, qp, sizeof q);
  long out = (long)(q.n1 - q.n0) * q.OD * q.OH * q.OW * q.cin;
  if (q.n0 != 0 || q.n1 < 0 || q.cin < 1 || (long)q.n1 * q.D * q.H * q.W * q.cin > (long)lx || out > (long)ly ||
      out > (long)la || (long)lx > 0x7fffffffL)
    return napi_throw_range_error(env, NULL, "descent native: maxPool operands out of bounds"), NULL;
  max_pool(&q, x, y, ap);
  return NULL;
}
