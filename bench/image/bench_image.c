/* Benchmark: writing a disk image with tools/mkimage against the usual
 * Debian way, mkfs.fat + mcopy, for the same files into an image of the
 * same size.  Not a test: it prints both times (median of several runs)
 * and their ratio, whichever way it goes.
 *
 *   bench-image MKIMAGE [FILES [RUNS]]     (defaults: 500 files, 7 runs)
 */
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define IMAGE_MIB 64
#define MAX_RUNS  25
#define TOP_DIRS  20

extern char **environ;

static char tmpdir[64];

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Runs argv (searched in PATH) in tmpdir with output discarded; exits on
 * failure.  Returns the CPU time (user + system) it used, in ms. */
static double run(char **argv)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addchdir_np(&fa, tmpdir);
	pid_t pid;
	int st;
	struct rusage ru;
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0 ||
	    wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "bench-image: %s failed\n", argv[0]);
		exit(1);
	}
	posix_spawn_file_actions_destroy(&fa);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* Wall-clock and CPU times of one way of writing the image. */
struct timing {
	double wall[MAX_RUNS], cpu[MAX_RUNS];
};

/* A size drawn from a mix: 60% up to 4 KiB, 30% up to 64 KiB, 10% up to 1 MiB. */
static size_t pick_size(unsigned *seed)
{
	unsigned r = (unsigned)rand_r(seed);
	unsigned kind = r % 10, v = (unsigned)rand_r(seed);
	if (kind < 6)
		return v % 4096;
	if (kind < 9)
		return 4096 + v % (60 * 1024);
	return 65536 + v % (960 * 1024);
}

/* Writes the source tree src/ (nested directories, long names) and returns
 * the mkimage --file arguments for it; *bytes receives the total size. */
static char **make_tree(int files, char **args, size_t *bytes)
{
	static char buf[1 << 20];
	unsigned seed = 12345;
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (char)rand_r(&seed);
	*bytes = 0;
	for (int i = 0; i < files; i++) {
		char dir[256], path[512];
		int top = i % TOP_DIRS, sub = (i / TOP_DIRS) % 3;
		snprintf(dir, sizeof dir, "%s/src/Directory %02d/sub dir %d", tmpdir, top, sub);
		for (char *s = dir + strlen(tmpdir) + 1; (s = strchr(s + 1, '/')) || 1;) {
			if (s)
				*s = 0;
			mkdir(dir, 0755);
			if (!s)
				break;
			*s = '/';
		}
		snprintf(path, sizeof path, "%s/file number %04d with a long name.bin", dir, i);
		size_t n = pick_size(&seed);
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(buf + (size_t)i % 4096, 1, n, f) != n || fclose(f) != 0) {
			perror(path);
			exit(1);
		}
		*bytes += n;
		if (asprintf(&args[i], "%s=%s", path + strlen(tmpdir) + 4, path) < 0)
			exit(1);
	}
	return args;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The mkimage command line for the tree (malloc'd). */
static char **mkimage_argv(const char *mkimage, char **file_args, int files)
{
	char **argv = calloc((size_t)files * 2 + 10, sizeof *argv);
	int n = 0;
	argv[n++] = (char *)mkimage;
	argv[n++] = "--out";
	argv[n++] = "ours.img";
	argv[n++] = "--seed";
	argv[n++] = "bench";
	argv[n++] = "--size";
	argv[n++] = "64";
	for (int i = 0; i < files; i++) {
		argv[n++] = "--file";
		argv[n++] = file_args[i];
	}
	return argv;
}

/* One run of mkimage, from no image to a complete one. */
static void time_mkimage(char **argv, struct timing *t, int r)
{
	char path[128];
	snprintf(path, sizeof path, "%s/ours.img", tmpdir);
	unlink(path);
	double t0 = now_ms();
	t->cpu[r] = run(argv);
	t->wall[r] = now_ms() - t0;
}

/* One run of mkfs.fat + mcopy -s doing the same into an image of the same size. */
static void time_mtools(struct timing *t, int r)
{
	char size[16], path[128];
	snprintf(size, sizeof size, "%d", IMAGE_MIB * 1024);
	char *mkfs[] = {"mkfs.fat", "-F", "32",         "-s", "1", "-n",
	                "TESSERA",  "-C", "theirs.img", size, NULL};
	char *mcopy[TOP_DIRS + 8] = {"mcopy", "-s", "-Q", "-i", "theirs.img"};
	int n = 5;
	for (int d = 0; d < TOP_DIRS; d++)
		if (asprintf(&mcopy[n++], "src/Directory %02d", d) < 0)
			exit(1);
	mcopy[n++] = "::/";
	mcopy[n] = NULL;
	snprintf(path, sizeof path, "%s/theirs.img", tmpdir);
	unlink(path);
	double t0 = now_ms();
	t->cpu[r] = run(mkfs) + run(mcopy);
	t->wall[r] = now_ms() - t0;
	for (int d = 5; d < n - 1; d++)
		free(mcopy[d]);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof v[0], cmp_double);
	return v[n / 2];
}

/* Prints one line of the comparison. */
static void report(const char *what, double ours, double theirs)
{
	printf("  %-5s mkimage %8.1f ms   mkfs.fat + mcopy %8.1f ms   ", what, ours, theirs);
	if (ours <= theirs)
		printf("mkimage %.2fx faster\n", theirs / ours);
	else
		printf("mkimage %.2fx slower\n", ours / theirs);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void cleanup(void)
{
	if (tmpdir[0])
		nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench-image MKIMAGE [FILES [RUNS]]\n");
		return 1;
	}
	int files = argc > 2 ? atoi(argv[2]) : 500, runs = argc > 3 ? atoi(argv[3]) : 7;
	if (files < 1 || files > 20000 || runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "bench-image: FILES 1..20000, RUNS 1..%d\n", MAX_RUNS);
		return 1;
	}
	char mkimage[4096];
	if (!realpath(argv[1], mkimage)) {
		perror(argv[1]);
		return 1;
	}
	strcpy(tmpdir, "/tmp/tessera-bench-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	atexit(cleanup);
	setenv("MTOOLS_SKIP_CHECK", "1", 1);
	char **args = calloc((size_t)files, sizeof *args);
	size_t bytes;
	make_tree(files, args, &bytes);
	char **argv_ours = mkimage_argv(mkimage, args, files);
	static struct timing ours, theirs;
	for (int r = 0; r < runs; r++) { /* alternate, so load changes hit both alike */
		time_mkimage(argv_ours, &ours, r);
		time_mtools(&theirs, r);
	}
	free(argv_ours);
	printf("bench-image: %d files (%.1f MiB) in %d directories into a %d MiB image, "
	       "median of %d runs\n",
	       files, (double)bytes / (1 << 20), TOP_DIRS * 4 + 1, IMAGE_MIB, runs);
	report("wall", median(ours.wall, runs), median(theirs.wall, runs));
	report("cpu", median(ours.cpu, runs), median(theirs.cpu, runs));
	for (int i = 0; i < files; i++)
		free(args[i]);
	free(args);
	return 0;
}
