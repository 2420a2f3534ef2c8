#ifndef CVECTORMATH_SHIM_H
#define CVECTORMATH_SHIM_H
/* Element-wise exp, log and log1p over arrays through glibc's libmvec (the vector math library GCC
   uses for `#pragma omp simd` loops): 4 doubles at a time with AVX2 when the CPU has it, else 2 at a
   time with SSE. Results agree with the scalar libm functions to within libmvec's 4-ulp bound. */
#include <math.h>
#include <stddef.h>
#if defined(__x86_64__)
#include <immintrin.h>

__m128d _ZGVbN2v_exp(__m128d);
__m128d _ZGVbN2v_log(__m128d);
__m128d _ZGVbN2v_log1p(__m128d);
__attribute__((target("avx2"))) __m256d _ZGVdN4v_exp(__m256d);
__attribute__((target("avx2"))) __m256d _ZGVdN4v_log(__m256d);
__attribute__((target("avx2"))) __m256d _ZGVdN4v_log1p(__m256d);

static inline int nt_vm_has_avx2(void) {
    static int known = -1;
    if (known < 0) { __builtin_cpu_init(); known = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
    return known;
}

#define NT_VM_ARRAY(NAME, SCALAR)                                                              \
    __attribute__((target("avx2,fma"))) static inline void nt_vm_##NAME##_avx2(const double *x, double *y, size_t n) { \
        size_t i = 0;                                                                          \
        for (; i + 4 <= n; i += 4) _mm256_storeu_pd(y + i, _ZGVdN4v_##NAME(_mm256_loadu_pd(x + i))); \
        for (; i < n; i++) y[i] = SCALAR(x[i]);                                                \
    }                                                                                          \
    static inline void nt_vm_##NAME##_sse(const double *x, double *y, size_t n) {              \
        size_t i = 0;                                                                          \
        for (; i + 2 <= n; i += 2) _mm_storeu_pd(y + i, _ZGVbN2v_##NAME(_mm_loadu_pd(x + i))); \
        for (; i < n; i++) y[i] = SCALAR(x[i]);                                                \
    }                                                                                          \
    static inline void nt_vm_##NAME(const double *x, double *y, size_t n) {                    \
        if (nt_vm_has_avx2()) nt_vm_##NAME##_avx2(x, y, n); else nt_vm_##NAME##_sse(x, y, n);  \
    }

NT_VM_ARRAY(exp, exp)
NT_VM_ARRAY(log, log)
NT_VM_ARRAY(log1p, log1p)

#else
static inline void nt_vm_exp(const double *x, double *y, size_t n) { for (size_t i = 0; i < n; i++) y[i] = exp(x[i]); }
static inline void nt_vm_log(const double *x, double *y, size_t n) { for (size_t i = 0; i < n; i++) y[i] = log(x[i]); }
static inline void nt_vm_log1p(const double *x, double *y, size_t n) { for (size_t i = 0; i < n; i++) y[i] = log1p(x[i]); }
#endif
#endif
