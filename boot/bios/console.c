/* Loader messages on COM1 and the screen: see console.h. */
#include "console.h"

#include <arch.h>
#include <fmt/fmt.h>

#include "bioscall.h"
#include "fbtext.h"

static int screen_graphics;

/* COM1 is the common loader's serial port (arch_serial_*). */
void console_init(void)
{
	fbtext_load_font();
	arch_serial_init();
}

static void screen_putc(char c)
{
	if (screen_graphics) {
		fbtext_putc(c);
		return;
	}
	struct bios_regs r = {0};
	r.eax = 0x0e00 | (uint8_t)c; /* INT 10h AH=0Eh: teletype output */
	r.ebx = 0x0007;
	bios_call(0x10, &r);
}

void console_screen_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			screen_putc('\r');
		screen_putc(s[i]);
	}
}

void console_write(const char *s, size_t n)
{
	arch_serial_write(s, n);
	console_screen_write(s, n);
}

static void sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	console_write(s, n);
}

void console_vprintf(const char *fmt, va_list ap)
{
	fmt_vformat(sink, NULL, fmt, ap);
}

void console_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
}

void console_set_framebuffer(uint64_t phys, const struct limine_video_mode *m)
{
	fbtext_start(phys, m);
	screen_graphics = 1;
}

void console_vfatal(const char *fmt, va_list ap)
{
	console_printf("tessera-loader: ");
	console_vprintf(fmt, ap);
	console_printf("\n");
	arch_halt();
}

void console_fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	console_vfatal(fmt, ap);
}
