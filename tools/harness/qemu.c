/* QEMU command-line builder; see qemu.h. */
#include "qemu.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Appends one formatted argument; -1 when cmd is full. */
__attribute__((format(printf, 2, 3))) static int arg(struct qemu_cmd *cmd, const char *fmt, ...)
{
	if (cmd->argc == QEMU_MAX_ARGS || cmd->used >= sizeof cmd->buf)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	size_t room = sizeof cmd->buf - cmd->used;
	int n = vsnprintf(cmd->buf + cmd->used, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		return -1;
	cmd->argv[cmd->argc++] = cmd->buf + cmd->used;
	cmd->argv[cmd->argc] = NULL;
	cmd->used += (size_t)n + 1;
	return 0;
}

static int one_of(const char *s, const char *a, const char *b)
{
	return s && (strcmp(s, a) == 0 || strcmp(s, b) == 0);
}

/* Checks the options that QEMU would otherwise reject less clearly. */
static const char *check(const struct qemu_opts *o)
{
	if (!o->image || !*o->image)
		return "no disk image given";
	if (!one_of(o->firmware, "uefi", "bios"))
		return "firmware must be uefi or bios";
	if (!one_of(o->machine, "q35", "pc"))
		return "machine must be q35 or pc";
	if (!one_of(o->accel, "tcg", "kvm"))
		return "accel must be tcg or kvm";
	if (o->cores < 1 || o->cores > 64)
		return "cores must be 1..64";
	if (o->memory < 64 || o->memory > 65536)
		return "memory must be 64..65536 MiB";
	if (!o->display || (strcmp(o->display, "none") != 0 && !one_of(o->display, "gtk", "sdl")))
		return "display must be none, gtk or sdl (auto is resolved first)";
	if (strcmp(o->firmware, "uefi") == 0 && !o->ovmf_vars)
		return "uefi needs a private copy of the OVMF variable store";
	return NULL;
}

int qemu_build(const struct qemu_opts *o, struct qemu_cmd *cmd, char *err, size_t size)
{
	const char *why = check(o);
	memset(cmd, 0, sizeof *cmd);
	if (why) {
		snprintf(err, size, "%s", why);
		return -1;
	}
	int kvm = strcmp(o->accel, "kvm") == 0;
	int r = arg(cmd, "%s", o->qemu ? o->qemu : QEMU_DEFAULT);
	r |= arg(cmd, "-machine") | arg(cmd, "%s", o->machine);
	r |= arg(cmd, "-accel") | arg(cmd, "%s", o->accel);
	r |= arg(cmd, "-cpu") | arg(cmd, "%s", o->cpu ? o->cpu : kvm ? "host" : "max");
	r |= arg(cmd, "-smp") | arg(cmd, "%d", o->cores);
	r |= arg(cmd, "-m") | arg(cmd, "%d", o->memory);
	if (strcmp(o->firmware, "uefi") == 0) {
		r |= arg(cmd, "-drive") | arg(cmd, "if=pflash,format=raw,readonly=on,file=%s",
		                              o->ovmf_code ? o->ovmf_code : OVMF_CODE_DEFAULT);
		r |= arg(cmd, "-drive") | arg(cmd, "if=pflash,format=raw,file=%s", o->ovmf_vars);
	}
	r |= arg(cmd, "-drive") |
	     arg(cmd, "%sformat=raw,file=%s%s", o->virtio_disk ? "if=none,id=boot," : "", o->image,
	         o->snapshot ? ",snapshot=on" : "");
	if (o->virtio_disk)
		r |= arg(cmd, "-device") | arg(cmd, "virtio-blk-pci,drive=boot,bootindex=0");
	/* no network: firmware would otherwise try PXE before giving up */
	r |= arg(cmd, "-nic") | arg(cmd, "none");
	r |= arg(cmd, "-device") | arg(cmd, "isa-debug-exit,iobase=0xf4,iosize=4");
	r |= arg(cmd, "-no-reboot");
	r |= arg(cmd, "-display") | arg(cmd, "%s", o->display);
	if (o->serial == QEMU_SERIAL_MONITOR) {
		r |= arg(cmd, "-serial") | arg(cmd, "mon:stdio");
	} else {
		r |= arg(cmd, "-serial") | arg(cmd, "stdio");
		r |= arg(cmd, "-monitor");
		r |= o->monitor ? arg(cmd, "unix:%s,server=on,wait=off", o->monitor)
		                : arg(cmd, "none");
	}
	if (o->device)
		r |= arg(cmd, "-device") | arg(cmd, "%s", o->device);
	if (o->gdb)
		r |= arg(cmd, "-s") | arg(cmd, "-S");
	if (r) {
		snprintf(err, size, "QEMU command line too long");
		return -1;
	}
	return 0;
}

const char *qemu_resolve_display(const char *display, const char *x11, const char *wayland)
{
	if (!display || strcmp(display, "auto") != 0)
		return display;
	return (x11 && *x11) || (wayland && *wayland) ? "gtk" : "none";
}

/* Whether s needs quoting for a POSIX shell. */
static int needs_quotes(const char *s)
{
	if (!*s)
		return 1;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		            "-_./=,:+@%",
		            *s))
			return 1;
	return 0;
}

/* Appends len bytes of s to buf (size bytes, n used), truncating. */
static void put(char *buf, size_t size, size_t *n, const char *s, size_t len)
{
	while (len-- && *n + 1 < size)
		buf[(*n)++] = *s++;
	buf[*n] = '\0';
}

void qemu_format(char *const *argv, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; argv[i]; i++) {
		if (i)
			put(buf, size, &n, " ", 1);
		if (!needs_quotes(argv[i])) {
			put(buf, size, &n, argv[i], strlen(argv[i]));
			continue;
		}
		put(buf, size, &n, "'", 1);
		for (const char *c = argv[i]; *c; c++)
			if (*c == '\'')
				put(buf, size, &n, "'\\''", 4);
			else
				put(buf, size, &n, c, 1);
		put(buf, size, &n, "'", 1);
	}
}
