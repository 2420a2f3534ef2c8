#ifndef CFFTW_SHIM_H
#define CFFTW_SHIM_H
#include <fftw3.h>
/* `extern const char fftw_version[]` (incomplete array) is not importable into Swift. */
static inline const char *nt_fftw_version(void) { return fftw_version; }
#endif
