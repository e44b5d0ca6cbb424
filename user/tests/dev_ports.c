/* Device capabilities: I/O ports (kernel/sched/device_test.c).  Slot 16:
 * the PS/2 status port 0x64 (read and write); slot 17: the PIT's ports
 * 0x40-0x43 without WRITE.  Each check that fails ends the program with
 * its number; when all pass, an `in` instruction on a port of its own
 * range faults (ring 3 has no port access but through invocations) and the
 * runtime ends the program with 128 + 13 (#GP). */
#include <rt/rt.h>

#define PS2   16
#define PIT   17
#define SPARE 18

static int checks(void)
{
	struct cap_results_ioport_in in;
	const uint64_t d = rt_depth();

	if (invoke_ioport_in(rt_cap(PS2), d, 0x64, 1, &in) || in.value > 0xff)
		return 1;
	if (invoke_ioport_in(rt_cap(PS2), d, 0x60, 1, NULL) != ERR_RANGE)
		return 2;
	if (invoke_ioport_in(rt_cap(PS2), d, 0x64, 2, NULL) != ERR_RANGE) /* 0x65 is not its */
		return 3;
	if (invoke_ioport_in(rt_cap(PS2), d, 0x64, 3, NULL) != ERR_INVAL)
		return 4;
	if (invoke_ioport_out(rt_cap(PS2), d, 0x64, 1, 0x100, NULL) != ERR_INVAL)
		return 5;
	if (invoke_ioport_out(rt_cap(PIT), d, 0x43, 1, 0, NULL) != ERR_PERM)
		return 6;
	if (invoke_ioport_in(rt_cap(PIT), d, 0x40, 1, NULL) != ERR_OK)
		return 7;
	if (invoke_ioport_in(rt_cap(PIT), d, 0x3f, 1, NULL) != ERR_RANGE)
		return 8;
	/* a wider range cannot be minted from it */
	if (invoke_mint(rt_cap(SLOT_ROOT), d, rt_cap(SPARE), d, rt_cap(PS2), d, CAP_RIGHT_READ, 0,
	                0x60, 1, NULL) != ERR_RANGE)
		return 9;
	if (invoke_ioport_in(rt_cap(SLOT_LOG), d, 0x64, 1, NULL) != ERR_TYPE)
		return 10;
	return 0;
}

int main(void)
{
	int e = checks();

	if (e)
		return e;
	rt_printf("dev_ports: every check passed; now an in instruction\n");
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"((uint16_t)0x64));
	return 99; /* not reached: the instruction faults */
}
