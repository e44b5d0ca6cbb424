/* tools/bench: the statistics (medians, hinges, spread) and the log reader
 * (per-round figures, boot stage stamps) against hand-worked fixtures. */
#include "../htest.h"

#include <math.h>

#include "../../../tools/bench/benchlog.h"
#include "../../../tools/bench/stats.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-6)

HTEST(median_of_an_odd_count_is_the_middle_value)
{
	double v[] = {9, 1, 8, 2, 7, 3, 6, 4, 5};
	struct bench_stat s;
	bench_stat_of(v, 9, &s);
	HT_EXPECT_EQ(s.n, 9);
	HT_EXPECT(NEAR(s.median, 5));
	HT_EXPECT(NEAR(s.min, 1) && NEAR(s.max, 9));
	HT_EXPECT(NEAR(s.q1, 3) && NEAR(s.q3, 7)); /* medians of 1..5 and 5..9 */
}

HTEST(median_of_an_even_count_is_the_mean_of_the_middle_two)
{
	double v[] = {8, 1, 7, 2, 6, 3, 5, 4};
	struct bench_stat s;
	bench_stat_of(v, 8, &s);
	HT_EXPECT(NEAR(s.median, 4.5));
	HT_EXPECT(NEAR(s.q1, 2.5) && NEAR(s.q3, 6.5)); /* medians of 1..4 and 5..8 */
}

HTEST(one_value_and_none)
{
	double v[] = {42};
	struct bench_stat s;
	bench_stat_of(v, 1, &s);
	HT_EXPECT(s.n == 1 && NEAR(s.median, 42) && NEAR(s.q1, 42) && NEAR(s.q3, 42));
	HT_EXPECT(NEAR(s.min, 42) && NEAR(s.max, 42));
	bench_stat_of(v, 0, &s);
	HT_EXPECT(s.n == 0 && s.median == 0 && s.max == 0);
}

/* A bench-user log as the bench kernel prints it, and a second run. */
static const char tessera_log[] = "[cpu0] bench-user: cycle counter at 2606 MHz; 9 rounds\r\n"
                                  "[cpu0] bench-user: fig null 10000 20.00 10.00 30.00\n"
                                  "[cpu0] bench-user: rounds null 10 30 20\n"
                                  "[cpu0] bench-user: rounds ep 106433 106098\n"
                                  "bench-linux: rounds null 99\n";
static const char tessera_log2[] = "12.5\tbench-user: rounds null 40.5";

HTEST(rounds_are_read_and_pooled_across_runs)
{
	static struct bench_rounds r;
	char err[BENCHLOG_ERR];
	memset(&r, 0, sizeof r);
	HT_EXPECT_EQ(benchlog_rounds(tessera_log, "bench-user", &r, err, sizeof err), 2);
	HT_EXPECT_EQ(benchlog_rounds(tessera_log2, "bench-user", &r, err, sizeof err), 1);
	const struct bench_series *null = benchlog_find(&r, "null"), *ep = benchlog_find(&r, "ep");
	HT_ASSERT(null && ep);
	HT_EXPECT_EQ(null->n, 4);
	HT_EXPECT(NEAR(null->v[3], 40.5));
	HT_EXPECT_EQ(ep->n, 2);
	HT_EXPECT(benchlog_find(&r, "fig") == NULL);
	struct bench_stat s;
	double v[4];
	memcpy(v, null->v, sizeof v);
	bench_stat_of(v, 4, &s);
	HT_EXPECT(NEAR(s.median, 25)); /* 10 20 30 40.5 */
}

/* Parses text and expects a refusal whose reason contains want. */
static void refused(const char *text, const char *want)
{
	static struct bench_rounds r;
	char err[BENCHLOG_ERR] = "";
	memset(&r, 0, sizeof r);
	HT_EXPECT_EQ(benchlog_rounds(text, "bench-linux", &r, err, sizeof err), -1);
	HT_EXPECT(strstr(err, want) != NULL);
	if (!strstr(err, want))
		printf("    # got \"%s\", wanted \"%s\"\n", err, want);
}

HTEST(malformed_rounds_lines_are_refused_by_line)
{
	refused("x\nbench-linux: rounds getppid 3530.22 abc\n", "line 2: figure getppid: \"abc\"");
	refused("bench-linux: rounds fault -5\n", "\"-5\" is not a number");
	refused("bench-linux: rounds fault 5x\n", "\"5x\"");
	refused("bench-linux: rounds pipe\n", "line 1: figure pipe has no values");
	refused("bench-linux: rounds \n", "without a figure name");
	refused("bench-linux: rounds a_name_of_more_than_thirty_two_chars 1\n", "too long");
}

static const char tessera_boot[] = "91.2\tdebugcon: SeaBIOS (version 1.16.2)\n"
                                   "218.6\tdebugcon: Booting from Hard Disk...\n"
                                   "238.3\ttessera-loader: Tessera loader 0.1\n"
                                   "468.7\t[cpu0] tessera: x86_64 CPU driver starting\n"
                                   "623.2\t[cpu0] tessera: boot complete: 2/2 cores online\n"
                                   "638.7\t[cpu1] monitor: core 1 up: 19 untyped caps\n"
                                   "645.5\t[cpu0] monitor: core 0 up: 8 untyped caps\n"
                                   "910.0\t[cpu0] tessera: user space up: 5 programs\n"
                                   "911.0\t[cpu0] tessera: user space up: again\n";

HTEST(tessera_boot_points_are_the_first_marking_lines)
{
	struct bench_boot b;
	char err[BENCHLOG_ERR];
	HT_ASSERT(benchlog_boot(tessera_boot, BENCH_TESSERA, &b, err, sizeof err) == 0);
	HT_EXPECT(NEAR(b.firmware, 218.6));
	HT_EXPECT(NEAR(b.kernel, 468.7));
	HT_EXPECT(NEAR(b.complete, 623.2));
	HT_EXPECT(NEAR(b.first_user, 638.7));
	HT_EXPECT(NEAR(b.user_up, 910.0));
	HT_EXPECT(b.guest_uptime_ms < 0 && b.guest_reset_ms < 0);
}

HTEST(without_a_firmware_line_the_loader_marks_the_handover)
{
	struct bench_boot b;
	char err[BENCHLOG_ERR];
	HT_ASSERT(benchlog_boot("3000.5\ttessera-loader: Tessera loader 0.1\n", BENCH_TESSERA, &b,
	                        err, sizeof err) == 0);
	HT_EXPECT(NEAR(b.firmware, 3000.5));
	HT_EXPECT(b.kernel < 0 && b.complete < 0 && b.user_up < 0);
}

static const char linux_boot[] =
        "8100.0\tEFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path\n"
        "8300.0\t[    0.000000] Linux version 6.1.0-57-amd64\n"
        "11200.0\t[    2.5] monitor: core 9 (not a Linux line)\n"
        "11400.0\tbench-linux: boot uptime_us 2714067 cycles 26746935256 cycles_mhz 2243\n";

HTEST(linux_boot_points_and_guest_clocks)
{
	struct bench_boot b;
	char err[BENCHLOG_ERR];
	HT_ASSERT(benchlog_boot(linux_boot, BENCH_LINUX, &b, err, sizeof err) == 0);
	HT_EXPECT(NEAR(b.firmware, 8100));
	HT_EXPECT(NEAR(b.kernel, 8300));
	HT_EXPECT(b.complete < 0);
	HT_EXPECT(NEAR(b.first_user, 11400) && NEAR(b.user_up, 11400));
	HT_EXPECT(NEAR(b.guest_uptime_ms, 2714.067));
	/* 26746935256 cycles at 2243 MHz: 11924.6 ms (by hand: 26746935256 / 2243000) */
	HT_EXPECT(fabs(b.guest_reset_ms - 11924.6) < 0.1);
}

static const char tessera_clocks[] =
        "468.7\t[cpu0] tessera: x86_64 CPU driver starting\n"
        "623.2\t[cpu0] tessera: clocks: kernel entry 301250 us, boot complete 455900 us after "
        "reset\n"
        "640.0\t[cpu0] init: clocks: init started 472125 us, user space up 731000 us after "
        "reset\n";

HTEST(tessera_guest_clocks_date_init_from_the_kernels_entry)
{
	struct bench_boot b;
	char err[BENCHLOG_ERR];
	HT_ASSERT(benchlog_boot(tessera_clocks, BENCH_TESSERA, &b, err, sizeof err) == 0);
	/* by hand: init started 472.125 ms after reset, 472.125 - 301.25 =
	 * 170.875 ms after the kernel's entry */
	HT_EXPECT(NEAR(b.guest_reset_ms, 472.125));
	HT_EXPECT(NEAR(b.guest_uptime_ms, 170.875));
	/* init's line without the kernel's: no guest clocks */
	HT_ASSERT(benchlog_boot(strstr(tessera_clocks, "640.0"), BENCH_TESSERA, &b, err,
	                        sizeof err) == 0);
	HT_EXPECT(b.guest_uptime_ms < 0 && b.guest_reset_ms < 0);
}

HTEST(a_line_without_a_stamp_is_refused)
{
	struct bench_boot b;
	char err[BENCHLOG_ERR] = "";
	HT_EXPECT(benchlog_boot("1.0\tok\nno stamp here\n", BENCH_TESSERA, &b, err, sizeof err) ==
	          -1);
	HT_EXPECT(strstr(err, "line 2") != NULL);
	HT_EXPECT(benchlog_boot("-4\tx\n", BENCH_TESSERA, &b, err, sizeof err) == -1);
}

/* A storage boot of each system, as benchrun stamps them (user/fs/bench.c's
 * and bench/linux/disk.c's lines), values worked by hand: 603658 KiB/s is
 * 589.509765625 MiB/s, 19487 KiB/s 19.0302734375. */
static const char tessera_storage[] =
        "120.5\t[cpu0] fs: bench: raw driver: sequential read 603658 KiB/s (16384 KiB in "
        "256-sector requests)\r\n"
        "121.0\t[cpu0] fs: bench: raw driver: 4 KiB random read 4836 IOPS\n"
        "122.0\t[cpu0] fs: bench: file service: sequential read 19487 KiB/s (a 172032-byte "
        "file, 64 KiB requests)\n"
        "123.0\t[cpu0] fs: bench: file service: 4 KiB random read 1639 IOPS\n"
        "124.0\tbench-linux: storage: vfat: 4 KiB random read 1 IOPS\n";
static const char linux_storage[] =
        "9.0\tbench-linux: storage: raw device: sequential read 460769 KiB/s (16384 KiB in "
        "256-sector requests, O_DIRECT)\n"
        "9.5\tbench-linux: storage: raw device: 4 KiB random read 8135 IOPS\n"
        "9.6\tbench-linux: storage: vfat: sequential read 82903 KiB/s (a 172032-byte file)\n"
        "9.7\tbench-linux: storage: vfat: 4 KiB random read 5007 IOPS\n";

HTEST(storage_lines_become_series_per_disk_in_mib_and_iops)
{
	static struct bench_rounds t, l;
	char err[BENCHLOG_ERR];
	memset(&t, 0, sizeof t);
	memset(&l, 0, sizeof l);
	HT_EXPECT_EQ(
	        benchlog_storage(tessera_storage, BENCH_TESSERA, "virtio", &t, err, sizeof err),
	        4); /* Linux's line in it is not Tessera's */
	HT_EXPECT_EQ(benchlog_storage(tessera_storage, BENCH_TESSERA, "ahci", &t, err, sizeof err),
	             4);
	HT_EXPECT_EQ(benchlog_storage(linux_storage, BENCH_LINUX, "virtio", &l, err, sizeof err),
	             4);
	HT_EXPECT_EQ(benchlog_storage(linux_storage, BENCH_LINUX, "virtio", &l, err, sizeof err),
	             4);
	const struct bench_series *seq = benchlog_find(&t, "virtio.rawseq"),
	                          *rnd = benchlog_find(&t, "ahci.rawrand"),
	                          *fseq = benchlog_find(&t, "virtio.fsseq"),
	                          *frnd = benchlog_find(&t, "virtio.fsrand"),
	                          *lrnd = benchlog_find(&l, "virtio.fsrand");
	HT_ASSERT(seq && rnd && fseq && frnd && lrnd);
	HT_EXPECT(seq->n == 1 && NEAR(seq->v[0], 589.509765625));
	HT_EXPECT(rnd->n == 1 && NEAR(rnd->v[0], 4836));
	HT_EXPECT(fseq->n == 1 && NEAR(fseq->v[0], 19.0302734375));
	HT_EXPECT(frnd->n == 1 && NEAR(frnd->v[0], 1639));
	HT_EXPECT(lrnd->n == 2 && NEAR(lrnd->v[0], 5007) && NEAR(lrnd->v[1], 5007));
	HT_EXPECT(benchlog_find(&l, "ahci.rawseq") == NULL);
}

HTEST(storage_lines_without_number_and_unit_are_refused_by_line)
{
	static struct bench_rounds r;
	char err[BENCHLOG_ERR] = "";
	memset(&r, 0, sizeof r);
	HT_EXPECT(benchlog_storage("ok\nfs: bench: raw driver: 4 KiB random read 12 KiB/s\n",
	                           BENCH_TESSERA, "virtio", &r, err, sizeof err) == -1);
	HT_EXPECT(strstr(err, "line 2") != NULL);
	HT_EXPECT(benchlog_storage("bench-linux: storage: vfat: sequential read fast KiB/s\n",
	                           BENCH_LINUX, "ahci", &r, err, sizeof err) == -1);
	HT_EXPECT(benchlog_storage("bench-linux: storage: vfat: sequential read 5\n", BENCH_LINUX,
	                           "ahci", &r, err, sizeof err) == -1);
	HT_EXPECT_EQ(benchlog_storage("nothing here\n", BENCH_LINUX, "ahci", &r, err, sizeof err),
	             0);
}

HTEST_MAIN("benchlog")
