/* AHCI (Serial ATA AHCI 1.3.1) as a driver of one controller uses it:
 * the HBA's registers in ABAR (BAR 5), per port a command list, a
 * received-FIS area and one command table in one DMA frame of the
 * driver's, commands as Register Host-to-Device FISes (Serial ATA 3.x
 * §10.5.5), data by PRDT entries.  One command at a time (slot 0);
 * completion by the port's interrupt (PxIS, then IS), errors from PxIS
 * and PxTFD.  Register fields are shift-and-mask constants.
 */
#ifndef USER_DRIVERS_AHCI_AHCI_H
#define USER_DRIVERS_AHCI_AHCI_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/err.h>

/* §3.1: Generic Host Control, at ABAR + 0. */
#define AHCI_CAP        0x00
#define AHCI_GHC        0x04
#define AHCI_IS         0x08
#define AHCI_PI         0x0c
#define AHCI_VS         0x10
#define AHCI_CAP_NP     0x1fu              /* ports - 1 */
#define AHCI_CAP_NCS(c) ((c) >> 8 & 0x1fu) /* command slots - 1 */
#define AHCI_CAP_SSS    (1u << 27)         /* staggered spin-up: PxCMD.SUD */
#define AHCI_CAP_S64A   (1u << 31)         /* 64-bit addressing */
#define AHCI_GHC_HR     (1u << 0)          /* HBA reset */
#define AHCI_GHC_IE     (1u << 1)          /* interrupt enable */
#define AHCI_GHC_AE     (1u << 31)         /* AHCI enable */

/* §3.3: the port registers, at ABAR + 0x100 + port * 0x80. */
#define AHCI_PORT(p)     (0x100u + (unsigned)(p)*0x80u)
#define AHCI_PORTS       32
#define AHCI_PxCLB       0x00
#define AHCI_PxCLBU      0x04
#define AHCI_PxFB        0x08
#define AHCI_PxFBU       0x0c
#define AHCI_PxIS        0x10
#define AHCI_PxIE        0x14
#define AHCI_PxCMD       0x18
#define AHCI_PxTFD       0x20
#define AHCI_PxSIG       0x24
#define AHCI_PxSSTS      0x28
#define AHCI_PxSERR      0x30
#define AHCI_PxCI        0x38
#define AHCI_CMD_ST      (1u << 0)  /* §3.3.7: start (processes the command list) */
#define AHCI_CMD_SUD     (1u << 1)  /* spin-up device */
#define AHCI_CMD_POD     (1u << 2)  /* power on device */
#define AHCI_CMD_CLO     (1u << 3)  /* command list override */
#define AHCI_CMD_FRE     (1u << 4)  /* FIS receive enable */
#define AHCI_CMD_FR      (1u << 14) /* FIS receive running */
#define AHCI_CMD_CR      (1u << 15) /* command list running */
#define AHCI_TFD_ERR     (1u << 0)  /* §3.3.8: the ATA status (7:0) and error (15:8) */
#define AHCI_TFD_DRQ     (1u << 3)
#define AHCI_TFD_BSY     (1u << 7)
#define AHCI_SSTS_DET(s) ((s)&0xfu)        /* §3.3.10: 3 device present, phy up */
#define AHCI_SSTS_IPM(s) ((s) >> 8 & 0xfu) /* 1 active */
#define AHCI_SIG_ATA     0x00000101u       /* §3.3.9 (ATA/ATAPI: a disk) */
#define AHCI_SIG_ATAPI   0xeb140101u
/* §3.3.5: PxIS bits: DHRS (a D2H register FIS: a command ended), PSS,
 * DSS, SDBS; the errors: TFES task file, HBFS host bus fatal, HBDS host
 * bus data, IFS interface fatal, INFS interface non-fatal, OFS overflow. */
#define AHCI_IS_DONE     0x0000000fu
#define AHCI_IS_TFES     (1u << 30)
#define AHCI_IS_ERROR    0x7d000000u

/* §4.2.2: a command header, one of 32 in the command list. */
struct ahci_cmd_header {
	uint32_t flags; /* CFL 4:0 (FIS dwords), A 5, W 6 (write), P 7, C 10, PRDTL 31:16 */
	uint32_t prdbc; /* bytes transferred, written by the HBA */
	uint32_t ctba;  /* the command table, 128-byte aligned */
	uint32_t ctbau;
	uint32_t reserved[4];
};
_Static_assert(sizeof(struct ahci_cmd_header) == 32, "AHCI 1.3.1 §4.2.2");
#define AHCI_HDR_CFL(dw)  ((uint32_t)(dw)&0x1fu)
#define AHCI_HDR_WRITE    (1u << 6)
#define AHCI_HDR_PRDTL(n) ((uint32_t)(n) << 16)

/* §4.2.3.3: a physical region descriptor. */
struct ahci_prd {
	uint32_t dba; /* data base address, bit 0 reserved (word aligned) */
	uint32_t dbau;
	uint32_t reserved;
	uint32_t dbc; /* byte count - 1 in 21:0 (an odd number: even bytes), I bit 31 */
};
_Static_assert(sizeof(struct ahci_prd) == 16, "AHCI 1.3.1 §4.2.3.3");
#define AHCI_PRD_MAX_BYTES (4u << 20) /* §4.2.3.3: DBC is 22 bits */

/* Serial ATA 3.x §10.5.5: the Register Host to Device FIS. */
struct ahci_fis_h2d {
	uint8_t type;  /* 0x27 */
	uint8_t flags; /* PM port 3:0, C 7 (a command) */
	uint8_t command;
	uint8_t feature_lo;
	uint8_t lba0, lba1, lba2, device;
	uint8_t lba3, lba4, lba5, feature_hi;
	uint8_t count_lo, count_hi, icc, control;
	uint8_t reserved[4];
};
_Static_assert(sizeof(struct ahci_fis_h2d) == 20, "SATA 3.x §10.5.5: 5 dwords");
#define AHCI_FIS_H2D     0x27
#define AHCI_FIS_COMMAND 0x80
#define AHCI_DEV_LBA     0x40 /* ACS-3: the device register's LBA bit */

/* §4.2.3: the command table: the command FIS, the ATAPI command, then the
 * PRDT from 0x80. */
#define AHCI_PRDS 32 /* entries used: one per page of the client's buffer */
struct ahci_cmd_table {
	uint8_t cfis[64];
	uint8_t acmd[16];
	uint8_t reserved[48];
	struct ahci_prd prdt[AHCI_PRDS];
};
_Static_assert(__builtin_offsetof(struct ahci_cmd_table, prdt) == 0x80, "AHCI 1.3.1 §4.2.3");

/* §4.2.1: the received-FIS area, 256 bytes. */
#define AHCI_RFIS_BYTES 256
#define AHCI_RFIS_D2H   0x40 /* the last Register D2H FIS */

/* The driver's DMA frame: the served port's command list (1 KiB aligned,
 * §3.3.1), received FISes (256-byte aligned, §3.3.3) and command table
 * (128-byte aligned, §4.2.2), a 512-byte area for IDENTIFY's answer, and
 * a received-FIS area and command list for probing the other ports. */
#define AHCI_AT_CLIST       0
#define AHCI_AT_RFIS        1024
#define AHCI_AT_TABLE       1280
#define AHCI_AT_IDENTIFY    2048
#define AHCI_AT_PROBE_RFIS  2560
#define AHCI_AT_PROBE_CLIST 3072
_Static_assert(AHCI_AT_CLIST + 32 * sizeof(struct ahci_cmd_header) <= AHCI_AT_RFIS, "fits");
_Static_assert(AHCI_AT_RFIS % 256 == 0 && AHCI_AT_TABLE % 128 == 0, "AHCI 1.3.1 §4.2");
_Static_assert(AHCI_AT_TABLE + sizeof(struct ahci_cmd_table) <= AHCI_AT_IDENTIFY, "fits");
_Static_assert(AHCI_AT_IDENTIFY + 512 <= AHCI_AT_PROBE_RFIS, "fits");
_Static_assert(AHCI_AT_PROBE_RFIS % 256 == 0 && AHCI_AT_PROBE_CLIST % 1024 == 0, "§3.3.1, §3.3.3");
_Static_assert(AHCI_AT_PROBE_CLIST + 1024 <= 4096, "one frame");

/* ACS-3 §7: the commands used. */
#define ATA_IDENTIFY      0xec
#define ATA_READ_DMA_EXT  0x25
#define ATA_WRITE_DMA_EXT 0x35
#define ATA_FLUSH_EXT     0xea

/* One buffer of a command: physical address and bytes (even, each under
 * AHCI_PRD_MAX_BYTES). */
struct ahci_seg {
	uint64_t phys;
	uint32_t len;
};

/* The controller and the port it serves. */
struct ahci {
	volatile uint32_t *regs; /* ABAR, mapped */
	uint32_t cap, pi;
	bool s64;
	unsigned port;  /* the disk's */
	uint8_t *frame; /* its DMA frame, mapped */
	uint64_t frame_phys;
	uint64_t sectors;
	char model[41];
	uint32_t last_is, last_tfd; /* of the last command: PxIS and PxTFD seen */
};

/* Resets the HBA, turns AHCI mode on and looks at every implemented port
 * (each printed: an ATA disk, an ATAPI device, or none); the first with
 * an ATA disk is set up (stopped, its areas given, started) and served,
 * and its interrupts enabled.  NOENT no disk; TIMEOUT the reset or a port's
 * engine did not stop; the frame's errors. */
enum err ahci_init(struct ahci *h, volatile uint32_t *regs);

/* Starts one command on the port (slot 0): an H2D FIS of command for
 * count sectors from lba (48-bit), data in n segments (write: to the
 * device).  RANGE more segments than a table holds. */
enum err ahci_start(struct ahci *h, uint8_t command, uint64_t lba, uint32_t count, bool write,
                    const struct ahci_seg *seg, unsigned n);

/* After an interrupt: takes (clears) the port's and the HBA's interrupt
 * status; true when the command is over (done or failed). */
bool ahci_over(struct ahci *h);

/* The command's outcome once over: OK, or IO (a task-file error or a
 * fatal one: the port is stopped and started again to recover,
 * AHCI 1.3.1 §6.2.2.1). */
enum err ahci_result(struct ahci *h);

/* Stops the port's engine and starts it again (after an error or a
 * timeout).  TIMEOUT it did not stop. */
enum err ahci_restart(struct ahci *h);

/* IDENTIFY DEVICE's answer: sectors (48-bit if the device says so, ACS-3
 * words 100-103, else 60-61) and model (words 27-46, two characters a
 * word, high byte first), into h.  UNSUPPORTED no 48-bit LBA or not
 * 512-byte sectors. */
enum err ahci_parse_identify(struct ahci *h, const uint16_t *words);

#endif
