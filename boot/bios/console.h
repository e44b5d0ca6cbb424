/* Loader messages for the BIOS stage: COM1 (0x3f8, port I/O) and the
 * screen (INT 10h teletype in text mode, fbtext on a framebuffer).  Fatal errors are prefixed
 * "tessera-loader:" like the UEFI loader's, then the CPU halts. */
#ifndef BOOT_BIOS_CONSOLE_H
#define BOOT_BIOS_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/limine.h>

/* Sets COM1 to 115200 8N1. */
void console_init(void);

/* Writes n bytes to serial and, while the screen is in text mode, to it;
 * "\n" becomes "\r\n". */
void console_write(const char *s, size_t n);

/* The same on the screen only. */
void console_screen_write(const char *s, size_t n);

void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_vprintf(const char *fmt, va_list ap);

/* The screen left text mode for a linear framebuffer (a VBE mode was set):
 * messages are drawn on it from now on. */
void console_set_framebuffer(uint64_t phys, const struct limine_video_mode *m);

/* Prints "tessera-loader: <message>" on serial and screen, then halts. */
__attribute__((noreturn, format(printf, 1, 2))) void console_fatal(const char *fmt, ...);
__attribute__((noreturn)) void console_vfatal(const char *fmt, va_list ap);

#endif
