/* Loader messages: every line is prefixed "tessera-loader: " (the test
 * harness matches it) and goes to COM1; warnings and errors also go to the
 * firmware console, so they are seen on screen. */
#ifndef BOOT_COMMON_LOG_H
#define BOOT_COMMON_LOG_H

/* Starts the serial port. */
void log_init(void);

/* A progress line, on serial only. */
__attribute__((format(printf, 1, 2))) void boot_log(const char *fmt, ...);

/* A warning, on serial and the console. */
__attribute__((format(printf, 1, 2))) void boot_warn(const char *fmt, ...);

/* A fatal error: "tessera-loader: error: ..." on serial and the console,
 * then the machine halts.  The loader never jumps into garbage. */
__attribute__((format(printf, 1, 2), noreturn)) void boot_fatal(const char *fmt, ...);

#endif
