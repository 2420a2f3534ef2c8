#ifndef CMATIO_SHIM_H
#define CMATIO_SHIM_H
#include <matio.h>
/* matio reports problems through a log function that prints to stderr; neurotool reports them itself
   (one line naming the file), so the library's own messages are dropped. */
static void nt_matio_quiet_log(int level, char *message) { (void)level; (void)message; }
static inline void nt_matio_silence(void) { Mat_LogInitFunc("neurotool", nt_matio_quiet_log); }
#endif
