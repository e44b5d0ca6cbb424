/* Loader messages on COM1 and the screen: see console.h. */
#include "console.h"

#include <fmt/fmt.h>

#include "bioscall.h"
#include "cpu.h"
#include "fbtext.h"

#define COM1     0x3f8
#define COM_LSR  5
#define LSR_THRE 0x20

static int screen_graphics;

void console_init(void)
{
	fbtext_load_font();
	outb(COM1 + 1, 0x00); /* no interrupts */
	outb(COM1 + 3, 0x80); /* DLAB: divisor follows */
	outb(COM1 + 0, 0x01); /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0xc7); /* FIFOs on and cleared */
	outb(COM1 + 4, 0x03); /* DTR, RTS */
}

static void serial_putc(char c)
{
	/* bounded: a missing UART must not hang the loader */
	for (int i = 0; i < 100000 && !(inb(COM1 + COM_LSR) & LSR_THRE); i++)
		;
	outb(COM1, (uint8_t)c);
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

static void put(char c)
{
	if (c == '\n')
		put('\r');
	serial_putc(c);
	screen_putc(c);
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
	for (size_t i = 0; i < n; i++)
		put(s[i]);
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
	cpu_halt_forever();
}

void console_fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	console_vfatal(fmt, ap);
}
