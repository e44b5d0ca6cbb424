/* The one place that knows how to start QEMU for a firmware, machine,
 * accelerator, core count, memory size and display: both `harness run`
 * and `harness test` build their command line here.  Pure functions. */
#ifndef TOOLS_HARNESS_QEMU_H
#define TOOLS_HARNESS_QEMU_H

#include <stddef.h>

#define QEMU_DEFAULT      "qemu-system-x86_64"
#define OVMF_CODE_DEFAULT "/usr/share/OVMF/OVMF_CODE_4M.fd"
#define OVMF_VARS_DEFAULT "/usr/share/OVMF/OVMF_VARS_4M.fd"

enum qemu_serial {
	QEMU_SERIAL_MONITOR, /* -serial mon:stdio: console on the terminal, Ctrl-A X quits */
	QEMU_SERIAL_STDIO,   /* -serial stdio, no monitor: for a pipe or beside gdb */
};

struct qemu_opts {
	const char *qemu;      /* binary; NULL for QEMU_DEFAULT */
	const char *image;     /* raw disk image */
	const char *firmware;  /* uefi | bios */
	const char *machine;   /* q35 | pc */
	const char *accel;     /* tcg | kvm */
	const char *cpu;       /* NULL: max under tcg, host under kvm */
	int cores, memory;     /* memory in MiB */
	const char *display;   /* resolved: none | gtk | sdl */
	const char *ovmf_code; /* uefi: read-only code; NULL for the default */
	const char *ovmf_vars; /* uefi: this run's private, writable copy */
	enum qemu_serial serial;
	int gdb;             /* -s -S: gdb stub on :1234, CPUs stopped */
	int snapshot;        /* guest writes go to a temporary overlay: the image stays
	                        as built, and parallel runs may share it */
	const char *monitor; /* QEMU_SERIAL_STDIO: the monitor on this Unix socket
	                        (monitor.h: input; screen.h:
	                        screendumps), NULL: none */
	const char *device;  /* one more -device (edu, ...), or NULL */
	int virtio_disk;     /* the image as a virtio-blk disk (bootindex 0: OVMF and
	                        SeaBIOS boot from it), not the machine's IDE/AHCI one */
};

#define QEMU_MAX_ARGS 52

struct qemu_cmd {
	char *argv[QEMU_MAX_ARGS + 1]; /* NULL-terminated */
	int argc;
	char buf[4096]; /* storage for the formatted arguments */
	size_t used;
};

/* Builds the QEMU command line for o.  Returns 0, or -1 with a message in
 * err when an option is invalid (unknown firmware, missing vars copy...). */
int qemu_build(const struct qemu_opts *o, struct qemu_cmd *cmd, char *err, size_t size);

/* Resolves display "auto": gtk when an X11 or Wayland display is given
 * (non-empty), else none.  Other values are returned unchanged. */
const char *qemu_resolve_display(const char *display, const char *x11, const char *wayland);

/* Formats argv as one shell command line (quoting where needed). */
void qemu_format(char *const *argv, char *buf, size_t size);

#endif
