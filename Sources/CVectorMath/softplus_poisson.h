#ifndef CVECTORMATH_SOFTPLUS_POISSON_H
#define CVECTORMATH_SOFTPLUS_POISSON_H
/* The softplus-Poisson emission of the GLM-HMM over blocks of bins × neurons, in one pass per block:
   for the rate λ = softplus(η) = max(η, 0) + log1p(e^−|η|), floored at 1e-300, and a count x,

       ℓ   = x log λ − λ                               (the log-likelihood without −log x!)
       ℓ′  = (x/λ − 1) σ(η)                            (σ the logistic function, dλ/dη)
       ℓ″  = −x σ²/λ² + (x/λ − 1) σ (1 − σ)

   With AVX2 (checked at run time) the values go 4 at a time through glibc's libmvec exp/log1p/log
   and vector arithmetic; otherwise through the scalar form below (libm). Both agree with neurotool's
   Swift `Emission.valueAndDerivatives` to a few ulps.

   Blocks are row-major: `rows` rows of `m` columns, each array with its own row stride (`ld…`), so a
   block can be every neuron of the activity matrix or a gathered subset. */
#include "shim.h"

/* e = exp(−|η|) and the rate softplus(η) = max(η, 0) + log1p(e), floored at 1e-300. */
static inline double nt_spp_rate(double eta, double *e) {
    *e = exp(-fabs(eta));
    return fmax(fmax(eta, 0.0) + log1p(*e), 1e-300);
}

/* ℓ, ℓ′ and ℓ″ of one count x at one η. */
static inline void nt_spp_scalar(double x, double eta, double *value, double *first, double *second) {
    double e, rate = nt_spp_rate(eta, &e);
    double s = (eta >= 0 ? 1.0 : e) / (1.0 + e);
    double ratio = x / rate;
    *value = x * log(rate) - rate;
    *first = (ratio - 1.0) * s;
    *second = -ratio * s * s / rate + (ratio - 1.0) * s * (1.0 - s);
}

#if defined(__x86_64__)
/* The AVX2 kernels work on tiles of at most NT_SPP_TILE values: a few rows of a block (or a piece of
   one long row) copied into contiguous buffers, each row padded to a multiple of 4 with zeros so that
   every value goes through the same vector code. Each stage (exp, then log1p, then log, then the
   arithmetic) runs over the whole tile before the next starts: the vector calls of a stage are
   independent, so the processor overlaps them instead of waiting on one value's chain. */
#define NT_SPP_TILE 256

typedef struct { size_t rows, width, padded; } nt_spp_tile;

/* The tile of rows r0.. and columns j0.. that fits NT_SPP_TILE padded values. */
static inline nt_spp_tile nt_spp_tile_at(size_t rows, size_t m, size_t r0, size_t j0) {
    nt_spp_tile t;
    t.width = m - j0 < NT_SPP_TILE ? m - j0 : NT_SPP_TILE;
    t.padded = (t.width + 3) & ~(size_t)3;
    size_t fit = NT_SPP_TILE / t.padded;
    t.rows = rows - r0 < fit ? rows - r0 : fit;
    return t;
}

/* Copies a tile of x and η in (padding with zeros), then e = exp(−|η|), rate = softplus(η) floored at
   1e-300 and logRate = log(rate) over it. */
__attribute__((target("avx2,fma"))) static inline void nt_spp_tile_rates(
    nt_spp_tile t, const double *x, size_t ldx, const double *eta, size_t lde, double *tx, double *te,
    double *e, double *rate, double *logRate) {
    for (size_t r = 0; r < t.rows; r++) {
        size_t j = 0;
        for (; j < t.width; j++) { tx[r * t.padded + j] = x[r * ldx + j]; te[r * t.padded + j] = eta[r * lde + j]; }
        for (; j < t.padded; j++) { tx[r * t.padded + j] = 0; te[r * t.padded + j] = 0; }
    }
    size_t n = t.rows * t.padded;
    const __m256d zero = _mm256_setzero_pd(), sign = _mm256_set1_pd(-0.0), tiny = _mm256_set1_pd(1e-300);
    for (size_t i = 0; i < n; i += 4)
        _mm256_storeu_pd(e + i, _ZGVdN4v_exp(_mm256_sub_pd(zero, _mm256_andnot_pd(sign, _mm256_loadu_pd(te + i)))));
    for (size_t i = 0; i < n; i += 4) _mm256_storeu_pd(rate + i, _ZGVdN4v_log1p(_mm256_loadu_pd(e + i)));
    for (size_t i = 0; i < n; i += 4)
        _mm256_storeu_pd(rate + i, _mm256_max_pd(_mm256_add_pd(_mm256_max_pd(_mm256_loadu_pd(te + i), zero),
                                                               _mm256_loadu_pd(rate + i)), tiny));
    for (size_t i = 0; i < n; i += 4) _mm256_storeu_pd(logRate + i, _ZGVdN4v_log(_mm256_loadu_pd(rate + i)));
}

__attribute__((target("avx2,fma"))) static inline void nt_spp_weighted_avx2(
    const double *x, size_t ldx, const double *eta, size_t lde, const double *gamma, size_t rows, size_t m,
    double *first, double *curvature, size_t ldo, double *totals) {
    double tx[NT_SPP_TILE], te[NT_SPP_TILE], e[NT_SPP_TILE], rate[NT_SPP_TILE], logRate[NT_SPP_TILE];
    const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0), floor = _mm256_set1_pd(1e-10);
    for (size_t j0 = 0; j0 < m; j0 += NT_SPP_TILE) {
        for (size_t r0 = 0; r0 < rows;) {
            nt_spp_tile t = nt_spp_tile_at(rows, m, r0, j0);
            nt_spp_tile_rates(t, x + r0 * ldx + j0, ldx, eta + r0 * lde + j0, lde, tx, te, e, rate, logRate);
            for (size_t r = 0; r < t.rows; r++) {
                double g = gamma[r0 + r], *fr = first + (r0 + r) * ldo + j0, *cr = curvature + (r0 + r) * ldo + j0;
                if (g <= 1e-12) {
                    for (size_t j = 0; j < t.width; j++) { fr[j] = 0; cr[j] = 0; }
                    continue;
                }
                __m256d gv = _mm256_set1_pd(g);
                for (size_t j = 0; j < t.width; j += 4) {
                    size_t i = r * t.padded + j;
                    __m256d xv = _mm256_loadu_pd(tx + i), ev = _mm256_loadu_pd(e + i), rv = _mm256_loadu_pd(rate + i);
                    __m256d s = _mm256_div_pd(_mm256_blendv_pd(ev, one, _mm256_cmp_pd(_mm256_loadu_pd(te + i), zero, _CMP_GE_OQ)),
                                              _mm256_add_pd(one, ev));
                    __m256d inverse = _mm256_div_pd(one, rv);
                    __m256d ratio = _mm256_mul_pd(xv, inverse);
                    __m256d d1 = _mm256_mul_pd(_mm256_sub_pd(ratio, one), s);
                    __m256d d2 = _mm256_sub_pd(_mm256_mul_pd(d1, _mm256_sub_pd(one, s)),
                                               _mm256_mul_pd(_mm256_mul_pd(ratio, _mm256_mul_pd(s, s)), inverse));
                    __m256d v = _mm256_sub_pd(_mm256_mul_pd(xv, _mm256_loadu_pd(logRate + i)), rv);
                    double lanes[3][4];
                    _mm256_storeu_pd(lanes[0], _mm256_mul_pd(gv, d1));
                    _mm256_storeu_pd(lanes[1], _mm256_mul_pd(gv, _mm256_max_pd(_mm256_sub_pd(zero, d2), floor)));
                    _mm256_storeu_pd(lanes[2], _mm256_mul_pd(gv, v));
                    size_t k = t.width - j < 4 ? t.width - j : 4;
                    for (size_t l = 0; l < k; l++) { fr[j + l] = lanes[0][l]; cr[j + l] = lanes[1][l]; totals[j0 + j + l] += lanes[2][l]; }
                }
            }
            r0 += t.rows;
        }
    }
}

__attribute__((target("avx2,fma"))) static inline void nt_spp_row_sums_avx2(
    const double *x, size_t ldx, const double *eta, size_t lde, size_t rows, size_t m, double *sums) {
    double tx[NT_SPP_TILE], te[NT_SPP_TILE], e[NT_SPP_TILE], rate[NT_SPP_TILE], logRate[NT_SPP_TILE];
    for (size_t r = 0; r < rows; r++) sums[r] = 0;
    for (size_t j0 = 0; j0 < m; j0 += NT_SPP_TILE) {
        for (size_t r0 = 0; r0 < rows;) {
            nt_spp_tile t = nt_spp_tile_at(rows, m, r0, j0);
            nt_spp_tile_rates(t, x + r0 * ldx + j0, ldx, eta + r0 * lde + j0, lde, tx, te, e, rate, logRate);
            for (size_t r = 0; r < t.rows; r++) {
                __m256d acc = _mm256_setzero_pd();
                for (size_t j = 0; j < t.padded; j += 4) {
                    size_t i = r * t.padded + j;
                    /* padding: x = 0 and η = 0 give ℓ = −log 2, so the padded lanes are masked out */
                    __m256d v = _mm256_sub_pd(_mm256_mul_pd(_mm256_loadu_pd(tx + i), _mm256_loadu_pd(logRate + i)),
                                              _mm256_loadu_pd(rate + i));
                    if (j + 4 > t.width) {
                        __m256d lane = _mm256_set_pd(3, 2, 1, 0), limit = _mm256_set1_pd((double)(t.width - j));
                        v = _mm256_and_pd(v, _mm256_cmp_pd(lane, limit, _CMP_LT_OQ));
                    }
                    acc = _mm256_add_pd(acc, v);
                }
                double lanes[4];
                _mm256_storeu_pd(lanes, acc);
                sums[r0 + r] += (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
            }
            r0 += t.rows;
        }
    }
}
#endif

/* The scalar forms of the two kernels below (also what runs without AVX2). */
static inline void nt_spp_weighted_scalar(const double *x, size_t ldx, const double *eta, size_t lde, const double *gamma,
                                          size_t rows, size_t m, double *first, double *curvature, size_t ldo,
                                          double *totals) {
    for (size_t r = 0; r < rows; r++) {
        double g = gamma[r] <= 1e-12 ? 0 : gamma[r];
        for (size_t j = 0; j < m; j++) {
            double v = 0, d1 = 0, d2 = 0;
            if (g > 0) nt_spp_scalar(x[r * ldx + j], eta[r * lde + j], &v, &d1, &d2);
            first[r * ldo + j] = g * d1;
            curvature[r * ldo + j] = g > 0 ? g * fmax(-d2, 1e-10) : 0;
            totals[j] += g * v;
        }
    }
}

static inline void nt_spp_row_sums_scalar(const double *x, size_t ldx, const double *eta, size_t lde, size_t rows,
                                          size_t m, double *sums) {
    for (size_t r = 0; r < rows; r++) {
        double sum = 0, e;
        for (size_t j = 0; j < m; j++) {
            double rate = nt_spp_rate(eta[r * lde + j], &e);
            sum += x[r * ldx + j] * log(rate) - rate;
        }
        sums[r] = sum;
    }
}

/* Posterior-weighted terms of one state: for row r with weight g = gamma[r] (rows with g ≤ 1e-12 count
   as 0), first[r, j] = g ℓ′, curvature[r, j] = g max(−ℓ″, 1e-10), and totals[j] += g ℓ (totals has m
   entries and is added to, not cleared). */
static inline void nt_spp_weighted(const double *x, size_t ldx, const double *eta, size_t lde, const double *gamma,
                                   size_t rows, size_t m, double *first, double *curvature, size_t ldo, double *totals) {
#if defined(__x86_64__)
    if (nt_vm_has_avx2()) { nt_spp_weighted_avx2(x, ldx, eta, lde, gamma, rows, m, first, curvature, ldo, totals); return; }
#endif
    nt_spp_weighted_scalar(x, ldx, eta, lde, gamma, rows, m, first, curvature, ldo, totals);
}

/* sums[r] = Σ_j ℓ over the m columns of row r. */
static inline void nt_spp_row_sums(const double *x, size_t ldx, const double *eta, size_t lde, size_t rows, size_t m,
                                   double *sums) {
#if defined(__x86_64__)
    if (nt_vm_has_avx2()) { nt_spp_row_sums_avx2(x, ldx, eta, lde, rows, m, sums); return; }
#endif
    nt_spp_row_sums_scalar(x, ldx, eta, lde, rows, m, sums);
}
#endif
