/* The AHCI controller and one port; see ahci.h. */
#include <rt/mem.h>
#include <rt/rt.h>
#include <string/mem.h>

#include "../blk/blkdrv.h"
#include "ahci.h"

#define RW           (CAP_RIGHT_READ | CAP_RIGHT_WRITE)
#define STOP_MS      500  /* §10.1.2: CR and FR clear within 500 ms */
#define RESET_MS     1000 /* §10.4.3: HR clears within 1 s */
#define LINK_MS      20   /* a device detected (DET 1) brings its link up */
#define SIGNATURE_MS 1000 /* the device's first D2H FIS after FRE */

static uint32_t rd(const struct ahci *h, unsigned off)
{
	return h->regs[off / 4];
}

static void wr(struct ahci *h, unsigned off, uint32_t v)
{
	h->regs[off / 4] = v;
}

static unsigned port_reg(unsigned port, unsigned reg)
{
	return AHCI_PORT(port) + reg;
}

static void fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Polls (yielding) until the register's mask bits equal want, for at most
 * ms.  TIMEOUT they did not. */
static enum err wait_bits(struct ahci *h, unsigned off, uint32_t mask, uint32_t want, unsigned ms)
{
	uint64_t start = rt_cycles(), limit = rt_cycles_hz() / 1000 * ms;

	while ((rd(h, off) & mask) != want) {
		if (rt_cycles() - start > limit)
			return ERR_TIMEOUT;
		rt_yield();
	}
	return ERR_OK;
}

/* §10.1.2: a port idle: ST cleared and CR gone, then FRE and FR. */
static enum err port_stop(struct ahci *h, unsigned p)
{
	unsigned cmd = port_reg(p, AHCI_PxCMD);

	wr(h, cmd, rd(h, cmd) & ~AHCI_CMD_ST);
	enum err e = wait_bits(h, cmd, AHCI_CMD_CR, 0, STOP_MS);
	if (!e) {
		wr(h, cmd, rd(h, cmd) & ~AHCI_CMD_FRE);
		e = wait_bits(h, cmd, AHCI_CMD_FR, 0, STOP_MS);
	}
	return e;
}

/* §10.3.1: ST set once the device is not busy (BSY and DRQ clear; a
 * command list override clears them if they stay). */
static enum err port_start(struct ahci *h, unsigned p)
{
	unsigned cmd = port_reg(p, AHCI_PxCMD), tfd = port_reg(p, AHCI_PxTFD);

	wr(h, cmd, rd(h, cmd) | AHCI_CMD_FRE);
	if (wait_bits(h, tfd, AHCI_TFD_BSY | AHCI_TFD_DRQ, 0, SIGNATURE_MS)) {
		wr(h, cmd, rd(h, cmd) | AHCI_CMD_CLO);
		if (wait_bits(h, cmd, AHCI_CMD_CLO, 0, STOP_MS))
			return ERR_TIMEOUT;
	}
	wr(h, port_reg(p, AHCI_PxSERR), 0xffffffffu);
	wr(h, port_reg(p, AHCI_PxIS), 0xffffffffu);
	wr(h, cmd, rd(h, cmd) | AHCI_CMD_ST);
	return ERR_OK;
}

/* §10.4.3: HBA reset, then AHCI mode (AE set before and after). */
static enum err hba_reset(struct ahci *h)
{
	wr(h, AHCI_GHC, AHCI_GHC_AE);
	wr(h, AHCI_GHC, AHCI_GHC_AE | AHCI_GHC_HR);
	enum err e = wait_bits(h, AHCI_GHC, AHCI_GHC_HR, 0, RESET_MS);
	wr(h, AHCI_GHC, AHCI_GHC_AE);
	return e;
}

/* The port stopped, pointed at our frame (the probe's areas or the
 * served port's), FIS receive on: its signature once the device has sent
 * its first FIS (0xffffffff: none came). */
static uint32_t port_attach(struct ahci *h, unsigned p, bool probe)
{
	uint64_t clist = h->frame_phys + (probe ? AHCI_AT_PROBE_CLIST : AHCI_AT_CLIST),
	         rfis = h->frame_phys + (probe ? AHCI_AT_PROBE_RFIS : AHCI_AT_RFIS);

	if (port_stop(h, p))
		return 0xffffffffu;
	wr(h, port_reg(p, AHCI_PxCLB), (uint32_t)clist);
	wr(h, port_reg(p, AHCI_PxCLBU), h->s64 ? (uint32_t)(clist >> 32) : 0);
	wr(h, port_reg(p, AHCI_PxFB), (uint32_t)rfis);
	wr(h, port_reg(p, AHCI_PxFBU), h->s64 ? (uint32_t)(rfis >> 32) : 0);
	wr(h, port_reg(p, AHCI_PxSERR), 0xffffffffu);
	wr(h, port_reg(p, AHCI_PxIS), 0xffffffffu);
	wr(h, port_reg(p, AHCI_PxCMD), rd(h, port_reg(p, AHCI_PxCMD)) | AHCI_CMD_FRE);
	wait_bits(h, port_reg(p, AHCI_PxTFD), AHCI_TFD_BSY, 0, SIGNATURE_MS);
	return rd(h, port_reg(p, AHCI_PxSIG));
}

/* One implemented port looked at (attached to the probe's areas, its
 * signature read, stopped again) and printed; true if it holds an ATA
 * disk. */
static bool port_probe(struct ahci *h, unsigned p)
{
	unsigned ssts = port_reg(p, AHCI_PxSSTS);

	if (h->cap & AHCI_CAP_SSS)
		wr(h, port_reg(p, AHCI_PxCMD),
		   rd(h, port_reg(p, AHCI_PxCMD)) | AHCI_CMD_SUD | AHCI_CMD_POD);
	if (AHCI_SSTS_DET(rd(h, ssts)) == 1)
		wait_bits(h, ssts, 0xf, 3, LINK_MS);
	uint32_t s = rd(h, ssts);
	if (AHCI_SSTS_DET(s) != 3) {
		rt_printf("ahci: port %u: no device (SSTS %#x)\n", p, s);
		return false;
	}
	uint32_t sig = port_attach(h, p, true);
	port_stop(h, p);
	rt_printf("ahci: port %u: %s (signature %#x, link gen %u)\n", p,
	          sig == AHCI_SIG_ATA     ? "ATA disk"
	          : sig == AHCI_SIG_ATAPI ? "ATAPI device"
	                                  : "unknown device",
	          sig, s >> 4 & 0xf);
	return sig == AHCI_SIG_ATA;
}

enum err ahci_init(struct ahci *h, volatile uint32_t *regs)
{
	*h = (struct ahci){.regs = regs};
	enum err e = hba_reset(h);

	if (e) {
		rt_printf("ahci: the HBA reset did not finish (GHC %#x)\n", rd(h, AHCI_GHC));
		return e;
	}
	h->cap = rd(h, AHCI_CAP);
	h->pi = rd(h, AHCI_PI);
	h->s64 = h->cap & AHCI_CAP_S64A;
	e = blkdrv_ctl_frame(&h->frame, &h->frame_phys);
	if (!e && !h->s64 && h->frame_phys >> 32)
		e = ERR_RANGE;
	if (e)
		return e;
	bool have = false;
	for (unsigned p = 0; p < AHCI_PORTS; p++) {
		if (h->pi >> p & 1 && port_probe(h, p) && !have) {
			have = true;
			h->port = p;
		}
	}
	if (!have)
		return ERR_NOENT;
	/* one disk is served: the first */
	if (port_attach(h, h->port, false) == 0xffffffffu || (e = port_start(h, h->port)) != ERR_OK)
		return e ? e : ERR_TIMEOUT;
	wr(h, port_reg(h->port, AHCI_PxIE), AHCI_IS_DONE | AHCI_IS_ERROR);
	wr(h, AHCI_IS, 0xffffffffu);
	wr(h, AHCI_GHC, AHCI_GHC_AE | AHCI_GHC_IE);
	return ERR_OK;
}

/* The command FIS: command, 48-bit lba, count (0 means 65536). */
static void fill_fis(struct ahci_cmd_table *t, uint8_t command, uint64_t lba, uint32_t count)
{
	struct ahci_fis_h2d f = {.type = AHCI_FIS_H2D,
	                         .flags = AHCI_FIS_COMMAND,
	                         .command = command,
	                         .lba0 = (uint8_t)lba,
	                         .lba1 = (uint8_t)(lba >> 8),
	                         .lba2 = (uint8_t)(lba >> 16),
	                         .device = command == ATA_IDENTIFY ? 0 : AHCI_DEV_LBA,
	                         .lba3 = (uint8_t)(lba >> 24),
	                         .lba4 = (uint8_t)(lba >> 32),
	                         .lba5 = (uint8_t)(lba >> 40),
	                         .count_lo = (uint8_t)count,
	                         .count_hi = (uint8_t)(count >> 8)};

	memset(t->cfis, 0, sizeof t->cfis);
	memcpy(t->cfis, &f, sizeof f);
}

enum err ahci_start(struct ahci *h, uint8_t command, uint64_t lba, uint32_t count, bool write,
                    const struct ahci_seg *seg, unsigned n)
{
	struct ahci_cmd_header *hdr = (void *)(h->frame + AHCI_AT_CLIST);
	struct ahci_cmd_table *t = (void *)(h->frame + AHCI_AT_TABLE);
	uint64_t table = h->frame_phys + AHCI_AT_TABLE;

	if (n > AHCI_PRDS)
		return ERR_RANGE;
	for (unsigned i = 0; i < n; i++) {
		if (seg[i].len == 0 || seg[i].len % 2 || seg[i].len > AHCI_PRD_MAX_BYTES ||
		    (!h->s64 && (seg[i].phys + seg[i].len) >> 32))
			return ERR_RANGE;
		t->prdt[i] = (struct ahci_prd){.dba = (uint32_t)seg[i].phys,
		                               .dbau = (uint32_t)(seg[i].phys >> 32),
		                               .dbc = seg[i].len - 1};
	}
	fill_fis(t, command, lba, count);
	hdr[0] = (struct ahci_cmd_header){.flags = AHCI_HDR_CFL(sizeof(struct ahci_fis_h2d) / 4) |
	                                           (write ? AHCI_HDR_WRITE : 0) | AHCI_HDR_PRDTL(n),
	                                  .ctba = (uint32_t)table,
	                                  .ctbau = (uint32_t)(table >> 32)};
	h->last_is = 0;
	fence(); /* the table and header are in memory before the HBA looks */
	wr(h, port_reg(h->port, AHCI_PxCI), 1);
	return ERR_OK;
}

bool ahci_over(struct ahci *h)
{
	uint32_t is = rd(h, port_reg(h->port, AHCI_PxIS));

	/* §10.7.2: the port's status first, then the HBA's */
	wr(h, port_reg(h->port, AHCI_PxIS), is);
	wr(h, AHCI_IS, 1u << h->port);
	h->last_is |= is;
	return (is & AHCI_IS_ERROR) || !(rd(h, port_reg(h->port, AHCI_PxCI)) & 1);
}

enum err ahci_restart(struct ahci *h)
{
	enum err e = port_stop(h, h->port);

	return e ? e : port_start(h, h->port);
}

enum err ahci_result(struct ahci *h)
{
	h->last_tfd = rd(h, port_reg(h->port, AHCI_PxTFD));
	if (!(h->last_is & AHCI_IS_ERROR) && !(h->last_tfd & (AHCI_TFD_ERR | AHCI_TFD_BSY)))
		return ERR_OK;
	ahci_restart(h); /* §6.2.2.1: the failed command is dropped with ST */
	return ERR_IO;
}

enum err ahci_parse_identify(struct ahci *h, const uint16_t *w)
{
	unsigned n = 0;

	for (unsigned i = 27; i <= 46; i++) {
		h->model[n++] = (char)(w[i] >> 8);
		h->model[n++] = (char)w[i];
	}
	while (n && (h->model[n - 1] == ' ' || h->model[n - 1] == '\0'))
		n--;
	h->model[n] = '\0';
	if (!(w[83] >> 10 & 1))
		return ERR_UNSUPPORTED; /* no 48-bit feature set: no READ DMA EXT */
	h->sectors =
	        w[100] | (uint64_t)w[101] << 16 | (uint64_t)w[102] << 32 | (uint64_t)w[103] << 48;
	/* word 106 valid (14 set, 15 clear) and bit 12: sectors over 256 words */
	if ((w[106] >> 14) == 1 && (w[106] >> 12 & 1))
		return ERR_UNSUPPORTED;
	return h->sectors ? ERR_OK : ERR_UNSUPPORTED;
}
