/* mkimage: command line, input checks and the temporary output file.
 * See mkimage.h for what the image holds. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkimage.h"

static const char usage[] =
        "usage: mkimage --out FILE --seed STRING [--size MIB] --file /ESP/PATH=HOSTFILE ...\n"
        "               [--dir /ESP/PATH ...] [--mbr MBR.BIN] [--stage STAGE.BIN]\n"
        "Writes a raw GPT disk with one FAT32 EFI system partition at LBA 2048.\n"
        "  --out FILE      the image (written to FILE.tmp.PID, then renamed)\n"
        "  --seed STRING   derives the disk and partition GUIDs and the volume id\n"
        "  --size MIB      disk size in MiB (default 64)\n"
        "  --file P=H      copies host file H to ESP path P (repeatable)\n"
        "  --dir P         creates directory P even if empty (repeatable)\n"
        "  --mbr FILE      MBR boot code (at most 440 bytes; code below 0x1ac), patched\n"
        "                  with the stage location: u64 LBA at 0x1ac, u32 sectors at 0x1b4\n"
        "  --stage FILE    BIOS loader stage, written from LBA 34 up to LBA 2048\n";

char *mkimage_tmp_path;

void mkimage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("mkimage: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* Removes the partial output and dies by the same signal. */
static void on_signal(int sig)
{
	if (mkimage_tmp_path)
		unlink(mkimage_tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Checks a --file argument's host side and adds it to the tree. */
static int add_file(struct mkimage_opts *o, char *arg)
{
	char *eq = strchr(arg, '=');
	if (!eq || eq == arg || !eq[1]) {
		mkimage_error("--file %s: expected /ESP/PATH=HOSTFILE", arg);
		return -1;
	}
	*eq = 0;
	const char *host = eq + 1;
	struct stat st;
	if (stat(host, &st) < 0) {
		mkimage_error("%s: input file %s: %s", arg, host, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		mkimage_error("%s: input file %s is not a regular file", arg, host);
		return -1;
	}
	if ((uint64_t)st.st_size > UINT32_MAX) {
		mkimage_error("%s: input file %s is %lld bytes; FAT32 files end at 4 GiB - 1", arg,
		              host, (long long)st.st_size);
		return -1;
	}
	return mkimage_tree_add(&o->root, arg, host, (uint64_t)st.st_size);
}

/* Parses --size. */
static int parse_size(struct mkimage_opts *o, const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > MKIMAGE_MAX_MIB || s[0] == '-') {
		mkimage_error("--size %s: expected a size in MiB from 1 to %d", s, MKIMAGE_MAX_MIB);
		return -1;
	}
	o->size_mib = v;
	return 0;
}

/* Applies one option with its value. */
static int apply(struct mkimage_opts *o, const char *opt, char *val)
{
	if (!strcmp(opt, "--out"))
		o->out = val;
	else if (!strcmp(opt, "--seed"))
		o->seed = val;
	else if (!strcmp(opt, "--mbr"))
		o->mbr = val;
	else if (!strcmp(opt, "--stage"))
		o->stage = val;
	else if (!strcmp(opt, "--size"))
		return parse_size(o, val);
	else if (!strcmp(opt, "--file"))
		return add_file(o, val);
	else if (!strcmp(opt, "--dir"))
		return mkimage_tree_add(&o->root, val, NULL, 0);
	else {
		mkimage_error("unknown option %s (see --help)", opt);
		return -1;
	}
	return 0;
}

/* Parses argv into o; returns 1 for --help, -1 on error. */
static int parse_args(struct mkimage_opts *o, int argc, char **argv)
{
	o->size_mib = MKIMAGE_DEFAULT_MIB;
	for (int i = 1; i < argc; i++) {
		char *opt = argv[i], *val, *eq = strchr(opt, '=');
		if (!strcmp(opt, "--help") || !strcmp(opt, "-h"))
			return 1;
		if (strncmp(opt, "--", 2) != 0) {
			mkimage_error("unexpected argument %s (see --help)", opt);
			return -1;
		}
		if (eq) { /* --opt=value */
			*eq = 0;
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			mkimage_error("%s needs a value", opt);
			return -1;
		}
		if (apply(o, opt, val) < 0)
			return -1;
	}
	if (!o->out || !o->seed) {
		mkimage_error("%s is required (see --help)", !o->out ? "--out" : "--seed");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct mkimage_opts o;
	int r = parse_args(&o, argc, argv);
	if (r == 1) {
		fputs(usage, stdout);
		return 0;
	}
	if (r == 0) {
		int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGBUS};
		for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
			signal(sigs[i], on_signal);
		r = mkimage_write(&o);
	}
	mkimage_tree_free(&o.root);
	free(mkimage_tmp_path);
	return r < 0 ? 1 : 0;
}
