/* tools/harness: the QEMU command-line builder (no QEMU is started). */
#include "../../../tools/harness/qemu.h"
#include "../htest.h"

static struct qemu_cmd cmd;
static char line[4096], err[256];

static const struct qemu_opts base = {
        .image = "build/default/disk.img",
        .firmware = "uefi",
        .machine = "q35",
        .accel = "tcg",
        .cores = 2,
        .memory = 512,
        .display = "none",
        .ovmf_vars = "build/default/disk.img.vars.fd",
        .serial = QEMU_SERIAL_MONITOR,
};

/* Builds and formats o; returns qemu_build's result. */
static int build(const struct qemu_opts *o)
{
	int rc = qemu_build(o, &cmd, err, sizeof err);
	if (rc == 0)
		qemu_format(cmd.argv, line, sizeof line);
	return rc;
}

HTEST(uefi_headless_run)
{
	HT_ASSERT(build(&base) == 0);
	HT_EXPECT_STREQ(line, "qemu-system-x86_64 -machine q35 -accel tcg -cpu max -smp 2 -m 512 "
	                      "-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/"
	                      "OVMF_CODE_4M.fd -drive if=pflash,format=raw,file=build/default/"
	                      "disk.img.vars.fd -drive format=raw,file=build/default/disk.img "
	                      "-nic none -device isa-debug-exit,iobase=0xf4,iosize=4 -no-reboot "
	                      "-display none -serial mon:stdio");
	HT_EXPECT_STREQ(cmd.argv[0], "qemu-system-x86_64");
	HT_EXPECT(cmd.argv[cmd.argc] == NULL);
}

HTEST(bios_kvm_gdb_test_mode)
{
	struct qemu_opts o = base;
	o.firmware = "bios";
	o.machine = "pc";
	o.accel = "kvm";
	o.cores = 8;
	o.memory = 3072;
	o.ovmf_vars = NULL;
	o.gdb = 1;
	o.serial = QEMU_SERIAL_STDIO;
	o.qemu = "/tmp/fake qemu";
	o.snapshot = 1;
	HT_ASSERT(build(&o) == 0);
	HT_EXPECT_STREQ(line,
	                "'/tmp/fake qemu' -machine pc -accel kvm -cpu host -smp 8 -m 3072 "
	                "-drive format=raw,file=build/default/disk.img,snapshot=on -nic none "
	                "-device isa-debug-exit,iobase=0xf4,iosize=4 -no-reboot -display none "
	                "-serial stdio -monitor none -s -S");
	HT_EXPECT(strstr(line, "pflash") == NULL);
}

/* disk=virtio: the image on virtio-blk, the boot disk (QEMU's -device
 * virtio-blk-pci with bootindex 0), not on the machine's IDE/AHCI bus. */
HTEST(virtio_disk)
{
	struct qemu_opts o = base;
	o.snapshot = 1;
	o.virtio_disk = 1;
	HT_ASSERT(build(&o) == 0);
	HT_EXPECT(strstr(line,
	                 " -drive if=none,id=boot,format=raw,file=build/default/disk.img,"
	                 "snapshot=on -device virtio-blk-pci,drive=boot,bootindex=0 ") != NULL);
}

HTEST(display_and_cpu)
{
	struct qemu_opts o = base;
	o.display = "gtk";
	o.cpu = "qemu64,+x2apic";
	o.ovmf_code = "/x/CODE.fd";
	HT_ASSERT(build(&o) == 0);
	HT_EXPECT(strstr(line, " -cpu qemu64,+x2apic ") != NULL);
	HT_EXPECT(strstr(line, " -display gtk -serial mon:stdio") != NULL);
	HT_EXPECT(strstr(line, "readonly=on,file=/x/CODE.fd ") != NULL);
	HT_EXPECT_STREQ(qemu_resolve_display("auto", ":0", NULL), "gtk");
	HT_EXPECT_STREQ(qemu_resolve_display("auto", "", "wayland-0"), "gtk");
	HT_EXPECT_STREQ(qemu_resolve_display("auto", "", ""), "none");
	HT_EXPECT_STREQ(qemu_resolve_display("auto", NULL, NULL), "none");
	HT_EXPECT_STREQ(qemu_resolve_display("sdl", NULL, NULL), "sdl");
}

HTEST(invalid_options)
{
	static const struct {
		const char *field, *value, *err;
	} cases[] = {
	        {"firmware", "coreboot", "firmware must be uefi or bios"},
	        {"machine", "virt", "machine must be q35 or pc"},
	        {"accel", "hvf", "accel must be tcg or kvm"},
	        {"display", "auto", "display must be none, gtk or sdl (auto is resolved first)"},
	        {"image", "", "no disk image given"},
	        {"vars", NULL, "uefi needs a private copy of the OVMF variable store"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct qemu_opts o = base;
		const char *v = cases[i].value;
		switch (cases[i].field[0]) {
		case 'f': o.firmware = v; break;
		case 'm': o.machine = v; break;
		case 'a': o.accel = v; break;
		case 'd': o.display = v; break;
		case 'i': o.image = v; break;
		case 'v': o.ovmf_vars = v; break;
		}
		HT_EXPECT_EQ(build(&o), -1);
		HT_EXPECT_STREQ(err, cases[i].err);
	}
	struct qemu_opts o = base;
	o.cores = 65;
	HT_EXPECT_EQ(build(&o), -1);
	o.cores = 1;
	o.memory = 63;
	HT_EXPECT_EQ(build(&o), -1);
}

HTEST(shell_quoting)
{
	char *argv[] = {"a", "b c", "it's", "", "x=1,y", NULL};
	qemu_format(argv, line, sizeof line);
	HT_EXPECT_STREQ(line, "a 'b c' 'it'\\''s' '' x=1,y");
	char small[8];
	qemu_format(argv, small, sizeof small);
	HT_EXPECT_STREQ(small, "a 'b c'");
}

HTEST_MAIN("qemu")
