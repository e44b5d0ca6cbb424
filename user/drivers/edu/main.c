/* edu: a driver for QEMU's educational PCI device (`-device edu`, QEMU's
 * docs/specs/edu.rst: 1234:11e8, BAR 0 1 MiB of registers), the PCI
 * service's test: it asks the service "pci" for the device and must get
 * exactly its registers and its interrupt line (rt/pci.h), and checks
 * both against the device's specification: the identification register
 * (0x00) ends in 0xed, the liveness register (0x04) reads back inverted,
 * and an interrupt raised through 0x60 arrives as a notification with
 * the value in the interrupt status (0x24), twice, acknowledged through
 * 0x64 and IRQ_ACK (a level-triggered line stays masked until then). */
#include <rt/mem.h>
#include <rt/pci.h>
#include <rt/rt.h>

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define REG_ID     0x00
#define REG_LIVE   0x04
#define REG_STATUS 0x24
#define REG_RAISE  0x60
#define REG_ACK    0x64
#define IRQ_BIT    1u

static volatile uint32_t *regs;

static uint32_t get(unsigned off)
{
	return regs[off / 4];
}

static void put(unsigned off, uint32_t v)
{
	regs[off / 4] = v;
}

/* One interrupt raised with value: it must arrive and say value. */
static int interrupt(struct rt_capref irq, uint32_t value)
{
	struct cap_results_notify_wait w;

	put(REG_RAISE, value);
	if (invoke_notify_wait(rt_cap(SLOT_NOTIFY), rt_depth(), 0, &w) || !(w.bits & IRQ_BIT)) {
		rt_printf("edu: no interrupt for %#x\n", value);
		return 1;
	}
	uint32_t status = get(REG_STATUS);
	put(REG_ACK, status);
	invoke_irq_ack(irq.addr, irq.depth, NULL);
	if (status != value) {
		rt_printf("edu: interrupt status %#x, raised %#x\n", status, value);
		return 1;
	}
	return 0;
}

static int drive(const struct rt_pci_device *d)
{
	struct rt_capref irq = rt_pci_cap(d, RT_PCI_SLOT_IRQ);
	uint64_t va = rt_map_area(1);
	enum err e = va ? rt_pci_map_bar(d, 0, va, 1) : ERR_NOMEM;

	if (e || d->a.irq == RT_PCI_NO_IRQ) {
		rt_printf("edu: BAR 0 %s, irq %s\n", e ? err_str(e) : "mapped",
		          d->a.irq == RT_PCI_NO_IRQ ? "none" : "given");
		return 1;
	}
	regs = (volatile uint32_t *)(uintptr_t)va;
	put(REG_LIVE, 0x5a5a1234u);
	if ((get(REG_ID) & 0xff) != 0xed || get(REG_LIVE) != ~0x5a5a1234u) {
		rt_printf("edu: registers %#x %#x are not an edu's\n", get(REG_ID), get(REG_LIVE));
		return 1;
	}
	e = invoke_irq_bind(irq.addr, irq.depth, rt_cap(SLOT_NOTIFY), rt_depth(), IRQ_BIT, NULL);
	if (e) {
		rt_printf("edu: irq %u not bound: %s\n", d->a.irq, err_str(e));
		return 1;
	}
	if (interrupt(irq, 0x100) || interrupt(irq, 0x2001))
		return 1;
	rt_printf("edu: %02x:%02x.%u version %u.%u, BAR 0 %llu KiB at %#llx, 2 interrupts on irq "
	          "%u\n",
	          d->a.bus, d->a.dev, d->a.fn, get(REG_ID) >> 24, get(REG_ID) >> 16 & 0xff,
	          (unsigned long long)(d->a.bars[0].size >> 10),
	          (unsigned long long)d->a.bars[0].base, d->a.irq);
	return 0;
}

int main(void)
{
	struct rt_service pci;
	struct rt_pci_device d;

	if (rt_service_find("pci", &pci)) {
		rt_printf("edu: no PCI service\n");
		return 1;
	}
	enum err e = rt_pci_open(&pci, EDU_VENDOR, EDU_DEVICE, 0, &d);
	if (e == ERR_NOENT) {
		rt_printf("edu: no device %04x:%04x (QEMU: -device edu); nothing to drive\n",
		          EDU_VENDOR, EDU_DEVICE);
		return 0;
	}
	if (e) {
		rt_printf("edu: the PCI service refused: %s\n", err_str(e));
		return 1;
	}
	return drive(&d);
}
