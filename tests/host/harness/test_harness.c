/* tools/harness: the whole `harness test` path, with a fake QEMU.  The
 * fake runs the "disk image" it is given as a shell script, so each image
 * below plays one guest behaviour: pass, fail, hang, reset, error... */
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../../tools/harness/files.h"
#include "../../../tools/harness/harness.h"
#include "../htest.h"

static char dir[64], out[32768];

static const char fake_qemu[] =
        "#!/bin/sh\n"
        "for a; do case \"$a\" in format=raw,file=*) img=${a#format=raw,file=};; esac; done\n"
        "img=${img%,snapshot=on}\n"
        "for a; do case \"$a\" in if=pflash,format=raw,file=*) cat \"${a##*=}\";; esac; done\n"
        "smp=1; prev=; for a; do [ \"$prev\" = -smp ] && smp=$a; prev=$a; done\n"
        "export smp\n"
        "exec sh \"$img\"\n";

#define BOOTED "echo \"tessera: boot complete: $smp/$smp cores online\"\n"

/* A test kernel: frame.alloc on every core, frame.free (core 0 only) skipped. */
static const char pass_img[] = "printf '\\033[2J\\033[01;01HBdsDxe: loading\\r\\n'\n" BOOTED
                               "printf 'KTAP version 1\\n1..%d\\n' $((smp + 1))\n"
                               "c=0; while [ $c -lt $smp ]; do\n"
                               "  echo \"ok $((c + 1)) cpu$c.frame.alloc\"; c=$((c + 1)); done\n"
                               "echo \"ok $((smp + 1)) cpu0.frame.free # SKIP later\"\nexit 33\n";

/* Writes an executable file DIR/name. */
static void put(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
	chmod(path, 0755);
}

/* A fresh directory with the fake QEMU, a fake OVMF store and the images. */
static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/harness-test.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	put("qemu", fake_qemu);
	put("vars.fd", "vars: private copy\n");
	put("pass.img", pass_img);
	put("pass.ktests", "# cases\nframe.alloc each k/frame_test.c:4\n"
	                   "frame.free bsp k/frame_test.c:9\n");
	put("fail.img", BOOTED "printf 'KTAP version 1\\n1..1\\n    # EXPECTATION FAILED at "
	                       "f.c:1: x\\nnot ok 1 cpu0.frame.leak # 3 pages\\n'\nexit 35\n");
	put("fail.ktests", "frame.leak each k/frame_test.c:20\n");
	put("hang.ktests", "frame.leak each k/frame_test.c:20\n");
	put("reset.ktests", "frame.leak each k/frame_test.c:20\n");
	put("hang.img", "echo 'KTAP version 1'\nsleep 60\n");
	put("reset.img", "echo 'loader: jumping'\nexit 0\n");
	put("slow.img", "sleep 1\n" BOOTED "sleep 60\n");
	put("error.img", "printf 'loader: kernel image is corrupt'\nsleep 60\n");
	put("reboot.img", "echo 'loader: kernel image is corrupt'\nexit 0\n");
	put("host_ok", "#!/bin/sh\nprintf 'KTAP version 1\\n1..1\\nok 1 fake.one\\n'\n");
	put("host_crash", "#!/bin/sh\nprintf 'KTAP version 1\\n1..2\\nok 1 fake.a\\n'\n"
	                  "echo 'AddressSanitizer: heap-use-after-free'\nkill -SEGV $$\n");
}

static void cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		abort();
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* An extra option for the next run() (e.g. --skip-image=...), or NULL. */
static const char *extra_opt;

/* Writes the matrix, runs `harness test` with the host binaries given
 * (space-separated names in dir, or ""); the report lands in out. */
static int run(const char *matrix, const char *bins, const char *jobs)
{
	char qemu[128], vars[128], mfile[128], binpath[4][128];
	char *argv[16] = {"test", "--build",     dir,  "--matrix", mfile,       "--qemu",
	                  qemu,   "--ovmf-vars", vars, "--jobs",   (char *)jobs};
	int argc = 11, nbin = 0;
	if (extra_opt)
		argv[argc++] = (char *)extra_opt;
	snprintf(qemu, sizeof qemu, "%s/qemu", dir);
	snprintf(vars, sizeof vars, "%s/vars.fd", dir);
	snprintf(mfile, sizeof mfile, "%s/m.txt", dir);
	put("m.txt", matrix);
	char names[256];
	snprintf(names, sizeof names, "%s", bins);
	for (char *t = strtok(names, " "); t && nbin < 4; t = strtok(NULL, " ")) {
		snprintf(binpath[nbin], sizeof binpath[0], "%s/%s", dir, t);
		argv[argc++] = binpath[nbin++];
	}
	FILE *f = tmpfile();
	int rc = harness_test(argc, argv, f);
	rewind(f);
	size_t n = fread(out, 1, sizeof out - 1, f);
	out[n] = '\0';
	fclose(f);
	return rc;
}

/* The last line of the report. */
static const char *summary(void)
{
	size_t n = strlen(out);
	while (n && out[n - 1] == '\n')
		n--;
	while (n && out[n - 1] != '\n')
		n--;
	return out + n;
}

HTEST(passing_and_failing_kernels)
{
	setup();
	HT_EXPECT_EQ(run("p pass.img uefi q35 2 256 30 ktap skip=cpu0.frame.free\n"
	                 "f fail.img bios pc 1 64 30 ktap\n",
	                 "host_ok", "2"),
	             1);
	HT_EXPECT(strstr(out, "ok fake.one\n# [p] pass.img: uefi q35, 2 cores, 256 MiB") == out);
	HT_EXPECT(strstr(out, "ok [p] cpu0.frame.alloc\nok [p] cpu1.frame.alloc\n"
	                      "skip [p] cpu0.frame.free: later\nok [p] boot\n# [f] "
	                      "fail.img: bios pc, 1 core, 64 MiB") != NULL);
	HT_EXPECT(strstr(out, "not ok [f] cpu0.frame.leak\n    # EXPECTATION FAILED at f.c:1: x\n"
	                      "    # 3 pages\nok [f] boot\n") != NULL);
	HT_EXPECT(strstr(out, "\n# 1 skipped\n5 passed, 1 failed\n") != NULL);
	HT_EXPECT_STREQ(summary(), "5 passed, 1 failed\n");
	/* the serial log and the private OVMF store */
	char path[256];
	snprintf(path, sizeof path, "%s/logs/p.serial", dir);
	char *log = files_read(path);
	HT_EXPECT(log && strstr(log, "ok 1 cpu0.frame.alloc\n") != NULL);
	HT_EXPECT(log && strstr(log, "vars: private copy\n") != NULL);
	free(log);
	snprintf(path, sizeof path, "%s/logs/f.serial", dir);
	log = files_read(path);
	HT_EXPECT(log && strstr(log, "vars:") == NULL);
	free(log);
	/* the copies are gone afterwards */
	snprintf(path, sizeof path, "ls %s/logs | grep -q vars", dir);
	HT_EXPECT(system(path) != 0);
	cleanup();
}

HTEST(timeout_kills_the_whole_group)
{
	setup();
	double t0 = now();
	HT_EXPECT_EQ(run("h hang.img uefi q35 1 256 1 ktap\n", "", "1"), 1);
	HT_EXPECT(now() - t0 < 10);
	HT_EXPECT(strstr(out, "not ok [h] run\n    timed out after 1 s before boot complete; "
	                      "no plan line 1..N (0 results)\n") != NULL);
	HT_EXPECT(strstr(out, "    | KTAP version 1\n") != NULL);
	HT_EXPECT_STREQ(summary(), "0 passed, 1 failed\n");
	cleanup();
}

HTEST(reset_and_missing_images)
{
	setup();
	HT_EXPECT_EQ(run("r reset.img uefi q35 1 256 30 ktap\n"
	                 "l ../limine/test.img uefi q35 1 256 30 ktap\n",
	                 "", "2"),
	             1);
	HT_EXPECT(strstr(out, "not ok [r] run\n    QEMU exited without isa-debug-exit") != NULL);
	HT_EXPECT(strstr(out, "    | loader: jumping\n") != NULL);
	HT_EXPECT(strstr(out, "skip [l] ../limine/test.img: image ") != NULL);
	HT_EXPECT(strstr(out, "/../limine/test.img not found\n# 1 skipped\n0 passed, 1 failed\n") !=
	          NULL);
	/* only skips: nothing failed, nothing passed */
	HT_EXPECT_EQ(run("l none.img bios pc 1 64 30 boot\n", "", "1"), 0);
	HT_EXPECT_STREQ(summary(), "0 passed, 0 failed\n");
	cleanup();
}

HTEST(skip_image_prefix_wins_over_an_existing_image)
{
	setup();
	put("stale-limine.img", "stale");
	extra_opt = "--skip-image=stale-=LIMINE_DIR not given";
	HT_EXPECT_EQ(run("l stale-limine.img uefi q35 1 256 30 ktap\n"
	                 "p pass.img uefi q35 1 256 30 ktap skip=cpu*.frame.free\n",
	                 "", "1"),
	             0);
	extra_opt = NULL;
	HT_EXPECT(strstr(out, "skip [l] stale-limine.img: LIMINE_DIR not given\n") != NULL);
	HT_EXPECT(strstr(out, "ok [p] boot\n") != NULL);
	cleanup();
}

/* The cases the image must report come from its list (test.ktests beside
 * test.img), not from the report: a declared case the kernel never ran, a
 * skip nobody listed, and a listed skip that did not happen all fail. */
HTEST(accounting_against_the_case_list)
{
	setup();
	put("short.img", pass_img);
	put("nolist.img", pass_img);
	put("short.ktests", "frame.alloc each k/frame_test.c:4\nframe.free bsp k/frame_test.c:9\n"
	                    "link.dropped smp k/link_test.c:2\n");
	HT_EXPECT_EQ(
	        run("s short.img uefi q35 2 256 30 ktap skip=cpu0.frame.free,cpu1.frame.alloc\n"
	            "u pass.img bios q35 1 256 30 ktap\n",
	            "", "2"),
	        1);
	HT_EXPECT(strstr(out, "not ok [s] plan\n    the report's plan is 1..3, but the sources "
	                      "declare 5 results: 3 cases (1 on core 0 only) on 2 online cores\n"
	                      "not ok [s] cpu0.link.dropped\n    missing from the report: declared "
	                      "at k/link_test.c:2 (smp)\nnot ok [s] cpu1.link.dropped\n") != NULL);
	HT_EXPECT(strstr(out, "not ok [s] skip=cpu1.frame.alloc\n    the entry lists this skip, "
	                      "but cpu1.frame.alloc did not skip\n") != NULL);
	HT_EXPECT(strstr(out, "not ok [u] cpu0.frame.free\n    unexpected skip: cpu0.frame.free: "
	                      "later (the entry's skip= list does not name it)\n") != NULL);
	HT_EXPECT_STREQ(summary(), "5 passed, 5 failed\n");
	/* no list beside the image */
	HT_EXPECT_EQ(run("n pass.img uefi q35 1 256 30 ktap skip=cpu0.frame.free\n"
	                 "m nolist.img uefi q35 1 256 30 ktap\n",
	                 "", "1"),
	             1);
	HT_EXPECT(strstr(out, "not ok [m] cases\n    cannot read ") != NULL);
	HT_EXPECT(
	        strstr(out, "/nolist.ktests, the list of the cases the image's kernel declares") !=
	        NULL);
	cleanup();
}

HTEST(required_images_fail_when_missing)
{
	setup();
	extra_opt = "--require-images";
	HT_EXPECT_EQ(run("l ../limine/test.img uefi q35 1 256 30 ktap\n", "", "1"), 1);
	extra_opt = NULL;
	HT_EXPECT(strstr(out, "not ok [l] run\n    not started: image ") != NULL);
	HT_EXPECT(strstr(out, "/../limine/test.img not found, and this run builds every image it "
	                      "boots\n") != NULL);
	HT_EXPECT_STREQ(summary(), "0 passed, 1 failed\n");
	cleanup();
}

HTEST(boot_entries_stop_qemu_and_keep_order)
{
	setup();
	double t0 = now();
	/* the slow entry comes first and must be reported first */
	HT_EXPECT_EQ(run("s slow.img uefi q35 1 256 30 boot\nq pass.img uefi q35 1 256 30 boot\n"
	                 "c slow.img uefi q35 2 256 30 boot online=1\n",
	                 "", "4"),
	             1);
	HT_EXPECT(now() - t0 < 10);
	const char *s = strstr(out, "ok [s] boot\n"), *q = strstr(out, "ok [q] boot\n");
	HT_EXPECT(s && q && s < q);
	HT_EXPECT(strstr(out, "not ok [c] boot\n    2/2 cores online, expected 1/2\n") != NULL);
	HT_EXPECT_STREQ(summary(), "2 passed, 1 failed\n");
	cleanup();
}

HTEST(error_entries_need_the_guest_to_stay_up)
{
	setup();
	HT_EXPECT_EQ(run("e error.img uefi q35 1 256 30 error:image is corrupt\n"
	                 "r reboot.img uefi q35 1 256 30 error:image is corrupt\n"
	                 "n pass.img bios pc 1 64 30 error:image is corrupt\n",
	                 "", "3"),
	             1);
	HT_EXPECT(strstr(out, "ok [e] error \"image is corrupt\"\n") != NULL);
	HT_EXPECT(strstr(out, "not ok [r] error \"image is corrupt\"\n    the text appeared, but "
	                      "then QEMU exited without isa-debug-exit") != NULL);
	HT_EXPECT(strstr(out, "not ok [n] error \"image is corrupt\"\n    the kernel reported "
	                      "success (isa-debug-exit 0x10) before the text appeared\n") != NULL);
	HT_EXPECT_STREQ(summary(), "1 passed, 2 failed\n");
	cleanup();
}

HTEST(host_binary_crash)
{
	setup();
	HT_EXPECT_EQ(run("", "host_ok host_crash", "2"), 1);
	HT_EXPECT(strstr(out, "ok fake.one\nok fake.a\nnot ok host_crash\n    killed by signal 11 "
	                      "(Segmentation fault); plan 1..2 but 1 results\n") == out);
	HT_EXPECT(strstr(out, "    | AddressSanitizer: heap-use-after-free\n") != NULL);
	HT_EXPECT_STREQ(summary(), "2 passed, 1 failed\n");
	cleanup();
}

HTEST(usage_errors)
{
	setup();
	FILE *f = tmpfile();
	char *no_build[] = {"test", "--matrix", "x"};
	HT_EXPECT_EQ(harness_test(3, no_build, f), 2);
	HT_EXPECT_EQ(run("x y.img uefi q35 1 256 30 maybe\n", "", "1"), 2);
	fclose(f);
	cleanup();
}

/* script:FILE: the guest reads what the script sends (a fake shell that
 * echoes each line it reads); expect and line steps are tests, a step
 * never met fails with where the script stopped. */
HTEST(scripted_serial_input)
{
	setup();
	put("shell.img",
	    BOOTED "while printf 'sh> '; read -r l; do\n"
	           "  case \"$l\" in cores*) echo \"$smp cores\";; *) echo \"? $l\";; esac\n"
	           "done\nsleep 60\n");
	put("s.txt", "wait sh> \nsend cores\\n\nexpect ${cores} cores\nwait sh> \n"
	             "send x y\\n\nline sh> ? x y\n");
	put("t.txt", "wait sh> \nsend nope\\n\nexpect 3 cores\nline ? x\n");
	HT_EXPECT_EQ(run("s shell.img bios pc 3 64 30 script:s.txt\n"
	                 "t shell.img bios pc 3 64 5 script:t.txt\n",
	                 "", "2"),
	             1);
	HT_EXPECT(strstr(out, "ok [s] expect \"3 cores\"\nok [s] line \"sh> ? x y\"\n") != NULL);
	HT_EXPECT(strstr(out, "not ok [t] expect \"3 cores\"\n    timed out after 5 s before it; "
	                      "the script stopped at line 3 (expect \"3 cores\")\n") != NULL);
	HT_EXPECT(strstr(out, "not ok [t] line \"? x\"\n") != NULL);
	HT_EXPECT_STREQ(summary(), "2 passed, 2 failed\n");
	cleanup();
}

HTEST_MAIN("harness")
