/* tools/harness screen checks: the checks file, PPM reading and the pixel
 * checks on a 4 x 2 image written here by hand. */
#include <fcntl.h>
#include <unistd.h>

#include "../../../tools/harness/screen.h"
#include "../htest.h"

HTEST(parses_checks_and_refuses_bad_lines)
{
	struct screen_spec s;
	char err[256];
	const char *good = "# a comment\n"
	                   "after desktop: script done\n"
	                   "size 1024 768\n"
	                   "color 0 736 1024 32 161b22 90   # the taskbar\n"
	                   "ink 900 736 124 32 161B22 30\n";
	HT_ASSERT(screen_parse(good, "d.screen", &s, err, sizeof err) == 0);
	HT_EXPECT_EQ(s.nafter, 1);
	HT_EXPECT_STREQ(s.after[0], "desktop: script done");
	HT_EXPECT_EQ(s.n, 3);
	HT_EXPECT(s.c[1].kind == SCREEN_COLOR && s.c[1].y == 736 && s.c[1].rgb == 0x161b22 &&
	          s.c[1].amount == 90);
	HT_EXPECT_STREQ(s.c[1].text, "color 0 736 1024 32 161b22 90");
	HT_EXPECT(s.c[2].kind == SCREEN_INK_CHECK && s.c[2].amount == 30);
	const struct {
		const char *text, *err;
	} bad[] = {
	        {"after x\ncolor 0 0 1 1 12345 50\n",
	         "d.screen:2: the colour must be 6 hex digits RRGGBB"},
	        {"after x\ncolor 0 0 1 1 123456 101\n", "d.screen:2: PERCENT must be 0..100"},
	        {"after x\nink 0 0 0 1 123456 1\n",
	         "d.screen:2: the rectangle needs X, Y >= 0 and W, H > 0"},
	        {"after x\nsize 1\n", "d.screen:2: size W H"},
	        {"after x\nblue 1 2\n", "d.screen:2: a line is after TEXT, size W H, color X Y W H "
	                                "RRGGBB PERCENT or ink X Y W H RRGGBB COUNT"},
	        {"size 1 1\n", "d.screen: needs at least one after line and one check"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		HT_EXPECT(screen_parse(bad[i].text, "d.screen", &s, err, sizeof err) == -1);
		HT_EXPECT_STREQ(err, bad[i].err);
	}
}

/* Row 0: pure red, red off by 12, red off by 13, black; row 1: four
 * pixels of 161b22. */
HTEST(checks_measure_pixels)
{
	char path[] = "/tmp/test_screen_XXXXXX", err[256], why[128];
	int fd = mkstemp(path);
	HT_ASSERT(fd >= 0);
	static const unsigned char px[] = {255, 0,  0,  243, 0,  0,  242, 0,  0,  0,  0,  0,
	                                   22,  27, 34, 22,  27, 34, 22,  27, 34, 22, 27, 34};
	const char head[] = "P6\n# made by hand\n4 2\n255\n";
	HT_ASSERT(write(fd, head, sizeof head - 1) == (ssize_t)(sizeof head - 1));
	HT_ASSERT(write(fd, px, sizeof px) == (ssize_t)sizeof px);
	close(fd);
	struct screen_image img;
	HT_ASSERT(screen_read_ppm(path, &img, err, sizeof err) == 0);
	HT_EXPECT(img.w == 4 && img.h == 2);
	struct screen_check c = {.kind = SCREEN_SIZE, .w = 4, .h = 2};
	HT_EXPECT(screen_check(&img, &c, why, sizeof why));
	c = (struct screen_check){SCREEN_COLOR, 0, 0, 4, 1, 0xff0000, 50, ""};
	HT_EXPECT(screen_check(&img, &c, why, sizeof why)); /* 2 of 4 within 12 */
	HT_EXPECT_STREQ(why, "2 of 4 pixels (50%) are within 12 of ff0000");
	c.amount = 51;
	HT_EXPECT(!screen_check(&img, &c, why, sizeof why));
	/* ink: only black differs from red by more than 48 */
	c = (struct screen_check){SCREEN_INK_CHECK, 0, 0, 4, 1, 0xff0000, 1, ""};
	HT_EXPECT(screen_check(&img, &c, why, sizeof why));
	c.amount = 2;
	HT_EXPECT(!screen_check(&img, &c, why, sizeof why));
	c = (struct screen_check){SCREEN_COLOR, 0, 1, 4, 1, 0x161b22, 100, ""};
	HT_EXPECT(screen_check(&img, &c, why, sizeof why));
	c.w = 5; /* off the screen */
	HT_EXPECT(!screen_check(&img, &c, why, sizeof why));
	screen_free(&img);
	/* truncated pixels, a P3 header */
	fd = open(path, O_WRONLY | O_TRUNC);
	HT_ASSERT(fd >= 0);
	HT_ASSERT(write(fd, head, sizeof head - 1) > 0 && write(fd, px, 5) == 5);
	close(fd);
	HT_EXPECT(screen_read_ppm(path, &img, err, sizeof err) == -1);
	HT_EXPECT(strstr(err, "5 bytes of pixels, 4 x 2 needs 24") != NULL);
	fd = open(path, O_WRONLY | O_TRUNC);
	HT_ASSERT(fd >= 0 && write(fd, "P3\n4 2\n255\n", 11) == 11);
	close(fd);
	HT_EXPECT(screen_read_ppm(path, &img, err, sizeof err) == -1);
	unlink(path);
}

HTEST(dump_fails_clearly_without_a_monitor)
{
	char err[256];
	HT_EXPECT(screen_dump("/tmp/no-such-monitor.sock", "/tmp/x.ppm", 0.2, err, sizeof err) ==
	          -1);
	HT_EXPECT(strstr(err, "cannot connect to QEMU's monitor at /tmp/no-such-monitor.sock") !=
	          NULL);
}

HTEST_MAIN("screen")
