/* Helpers of the typed-value tests: an arena, and problems collected as
 * the lines a tool prints ("t.conf:3:9: cores: ..."). */
#ifndef TESTS_HOST_TYPED_UTIL_H
#define TESTS_HOST_TYPED_UTIL_H

#include <typed/typed.h>

#include "demo.h"

/* The problems reported since the last reset, one per line. */
extern char problems[8192];
extern struct typed_diag diag;
/* A fresh 1 MiB arena (its memory is reused by every call). */
struct typed_arena *fresh_arena(void);
void reset_problems(void);

/* Loads text as a demo_type value; NULL with problems set if it fails. */
struct typed_value *load(const char *text);
/* Parses a command line (NULL-terminated list) against demo_type. */
struct typed_value *args(const char *arg, ...);

#endif
