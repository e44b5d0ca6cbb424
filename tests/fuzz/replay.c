/* Replays fuzz inputs through a target's LLVMFuzzerTestOneInput without
 * libFuzzer (built with ASan and UBSan), one KTAP case per input file:
 *
 *   replay_NAME              every file of tests/fuzz/NAME/corpus and
 *                            tests/fuzz/NAME/regress (run from the tree's root)
 *   replay_NAME PATH...      these files, or the files of these folders
 *
 * Each input runs in a child process, so a crash, a sanitizer report, a
 * nonzero return or a hang (over REPLAY_TIMEOUT_S seconds) fails that case
 * only and names the input.
 */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define REPLAY_TIMEOUT_S 20
#define REPLAY_MAX_FILES 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	char path[512];
	char name[256]; /* KTAP case name: "corpus.FILE" or "regress.FILE" */
};

static struct input inputs[REPLAY_MAX_FILES];
static int ninputs;

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct input *)a)->name, ((const struct input *)b)->name);
}

/* Adds one file, its case name made of the folder's and the file's names. */
static void add_file(const char *path)
{
	if (ninputs == REPLAY_MAX_FILES) {
		fprintf(stderr, "replay: more than %d inputs; %s left out\n", REPLAY_MAX_FILES,
		        path);
		return;
	}
	struct input *in = &inputs[ninputs++];
	char dir[512], file[512];
	snprintf(in->path, sizeof in->path, "%s", path);
	snprintf(dir, sizeof dir, "%s", path);
	snprintf(file, sizeof file, "%s", path);
	snprintf(in->name, sizeof in->name, "%s.%s", basename(dirname(dir)), basename(file));
}

/* Adds a file, or every visible file of a folder; 0 if a folder is absent. */
static int add_path(const char *path, int must_exist)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		if (must_exist)
			fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return must_exist ? -1 : 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		add_file(path);
		return 0;
	}
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (struct dirent *e; (e = readdir(d));) {
		char full[512];
		if (e->d_name[0] == '.')
			continue;
		snprintf(full, sizeof full, "%s/%s", path, e->d_name);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
			add_file(full);
	}
	closedir(d);
	return 0;
}

/* Reads a whole file into a buffer of exactly its size (so ASan sees any
 * read past the input); NULL on error. */
static uint8_t *read_input(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *buf = NULL;
	if (fseek(f, 0, SEEK_END) == 0) {
		long n = ftell(f);
		rewind(f);
		buf = n >= 0 ? malloc(n ? (size_t)n : 1) : NULL;
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)n;
	}
	fclose(f);
	return buf;
}

/* Runs one input in a child; returns 0 when it passed, else prints why. */
static int run_one(const struct input *in)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		printf("    # %s: fork: %s\n", in->path, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		size_t size;
		uint8_t *data = read_input(in->path, &size);
		if (!data) {
			fprintf(stderr, "replay: %s: cannot read: %s\n", in->path, strerror(errno));
			_exit(3);
		}
		alarm(REPLAY_TIMEOUT_S);
		int r = LLVMFuzzerTestOneInput(data, size);
		free(data);
		exit(r == 0 ? 0 : 4);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		printf("    # %s: no result within %d s (a hang)\n", in->path, REPLAY_TIMEOUT_S);
	else if (WIFSIGNALED(status))
		printf("    # %s: killed by signal %d (see the sanitizer report above)\n", in->path,
		       WTERMSIG(status));
	else
		printf("    # %s: exit status %d (a sanitizer report or a failed check; see "
		       "above)\n",
		       in->path, WEXITSTATUS(status));
	return -1;
}

int main(int argc, char **argv)
{
	char suite[128], self[256];
	snprintf(self, sizeof self, "%s", argv[0]);
	const char *name = basename(self);
	if (strncmp(name, "replay_", 7) == 0)
		name += 7;
	snprintf(suite, sizeof suite, "fuzz_%s", name);
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			if (add_path(argv[i], 1) != 0)
				return 2;
	} else {
		char dir[256];
		snprintf(dir, sizeof dir, "tests/fuzz/%s/corpus", name);
		if (add_path(dir, 1) != 0)
			return 2; /* not run from the tree's root */
		snprintf(dir, sizeof dir, "tests/fuzz/%s/regress", name);
		add_path(dir, 0);
	}
	if (ninputs == 0) {
		fprintf(stderr, "replay: no inputs for %s\n", suite);
		return 2;
	}
	qsort(inputs, (size_t)ninputs, sizeof inputs[0], by_name);
	printf("KTAP version 1\n1..%d\n", ninputs);
	int failed = 0;
	for (int i = 0; i < ninputs; i++) {
		int bad = run_one(&inputs[i]) != 0;
		printf("%s %d %s.%s\n", bad ? "not ok" : "ok", i + 1, suite, inputs[i].name);
		failed += bad;
	}
	printf("# Totals: pass:%d fail:%d skip:0 total:%d\n", ninputs - failed, failed, ninputs);
	return failed ? 1 : 0;
}
