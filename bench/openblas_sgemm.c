// OpenBLAS row of `npm run bench`: cblas_sgemm on n×n×n; prints seconds per call for each of `reps` runs.
// Build: cc -O2 openblas_sgemm.c -lopenblas   Run: ./a.out n reps   (threads from OPENBLAS_NUM_THREADS)
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 512, reps = argc > 2 ? atoi(argv[2]) : 5;
  float *a = malloc(sizeof(float) * n * n), *b = malloc(sizeof(float) * n * n), *c = malloc(sizeof(float) * n * n);
  for (long i = 0; i < (long)n * n; i++) { a[i] = (float)rand() / RAND_MAX - 0.5f; b[i] = (float)rand() / RAND_MAX - 0.5f; }
  double flops = 2.0 * n * n * n;
  int inner = flops < 2e8 ? (int)(2e8 / flops) : 1;
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
  for (int r = 0; r < reps; r++) {
    double t = now();
    for (int i = 0; i < inner; i++) cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
    printf("%.9f\n", (now() - t) / inner);
  }
  free(a); free(b); free(c);
  return 0;
}
