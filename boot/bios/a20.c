/* Opening the A20 gate from the long-mode stage.  The stage, its stack and
 * its page tables lie below 1 MiB (bit 20 clear), so it runs correctly with
 * the gate closed; memory above 1 MiB is touched only after this succeeds.
 * Methods, in order: INT 15h AX=2401h, the keyboard controller's output
 * port (command D1h, bit 1), "fast A20" (port 92h bit 1).
 */
#include "a20.h"

#include <x86/x86.h>

#include "bioscall.h"

#define KBC_DATA   0x60
#define KBC_STATUS 0x64
#define KBC_IBF    0x02 /* input buffer full: controller busy */
#define KBC_OBF    0x01 /* output buffer full: data to read */
#define KBC_TRIES  100000

/* True when 0x100000 + x and x are different memory. */
static int a20_is_open(void)
{
	volatile uint32_t *lo = (volatile uint32_t *)0x7df0;
	volatile uint32_t *hi = (volatile uint32_t *)(0x100000 + 0x7df0);
	uint32_t saved = *lo;
	int open = 0;
	for (uint32_t i = 0; i < 2 && !open; i++) {
		*lo = 0x5a5aa5a5u ^ i;
		*hi = ~(0x5a5aa5a5u ^ i);
		open = *lo == (0x5a5aa5a5u ^ i);
	}
	*lo = saved;
	return open;
}

static int a20_wait_open(void)
{
	for (int i = 0; i < 1000; i++) {
		if (a20_is_open())
			return 1;
		x86_io_wait();
	}
	return 0;
}

static int kbc_wait_input_clear(void)
{
	for (int i = 0; i < KBC_TRIES; i++)
		if (!(x86_inb(KBC_STATUS) & KBC_IBF))
			return 1;
	return 0;
}

static int kbc_wait_output_full(void)
{
	for (int i = 0; i < KBC_TRIES; i++)
		if (x86_inb(KBC_STATUS) & KBC_OBF)
			return 1;
	return 0;
}

/* 8042: disable the keyboard, read the output port, set bit 1, write it. */
static void a20_by_kbc(void)
{
	if (x86_inb(KBC_STATUS) == 0xff)
		return; /* no controller */
	if (!kbc_wait_input_clear())
		return;
	x86_outb(KBC_STATUS, 0xad);
	if (!kbc_wait_input_clear())
		return;
	x86_outb(KBC_STATUS, 0xd0);
	if (!kbc_wait_output_full())
		goto enable_kbd;
	uint8_t port = x86_inb(KBC_DATA);
	if (!kbc_wait_input_clear())
		goto enable_kbd;
	x86_outb(KBC_STATUS, 0xd1);
	if (!kbc_wait_input_clear())
		goto enable_kbd;
	x86_outb(KBC_DATA, port | 0x02);
	kbc_wait_input_clear();
enable_kbd:
	x86_outb(KBC_STATUS, 0xae);
	kbc_wait_input_clear();
}

enum err a20_enable(void)
{
	if (a20_is_open())
		return ERR_OK;

	struct bios_regs r = {0};
	r.eax = 0x2401;
	bios_call(0x15, &r);
	if (a20_wait_open())
		return ERR_OK;

	a20_by_kbc();
	if (a20_wait_open())
		return ERR_OK;

	uint8_t v = x86_inb(0x92);
	if (!(v & 0x02))
		x86_outb(0x92, (uint8_t)((v | 0x02) & ~0x01)); /* bit 0 would reset */
	if (a20_wait_open())
		return ERR_OK;
	return ERR_UNSUPPORTED;
}
