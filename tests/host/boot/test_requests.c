/* boot/common/requests.c: finding requests in a kernel image: markers,
 * duplicates, unknown ids, base revisions. */
#include <requests.h>
#include <stdint.h>
#include <tessera/limine.h>

#include "../htest.h"

static uint64_t img[512];
static struct req_set rs;
static char why[200];

static const uint64_t hhdm_id[4] = LIMINE_ID_HHDM, mm_id[4] = LIMINE_ID_MEMMAP;
static const uint64_t ss_id[4] = LIMINE_ID_STACK_SIZE;

static void put_req(unsigned at, const uint64_t id[4])
{
	memcpy(&img[at], id, 32);
	img[at + 4] = 0; /* revision */
	img[at + 5] = 0; /* response */
}

static void put_start(unsigned at)
{
	img[at] = LIMINE_REQUESTS_START0;
	img[at + 1] = LIMINE_REQUESTS_START1;
	img[at + 2] = LIMINE_REQUESTS_START2;
	img[at + 3] = LIMINE_REQUESTS_START3;
}

static void put_end(unsigned at)
{
	img[at] = LIMINE_REQUESTS_END0;
	img[at + 1] = LIMINE_REQUESTS_END1;
}

static void put_rev(unsigned at, uint64_t rev)
{
	img[at] = LIMINE_BASE_REVISION_MAGIC0;
	img[at + 1] = LIMINE_BASE_REVISION_MAGIC1;
	img[at + 2] = rev;
}

static enum err scan(void)
{
	return req_scan(img, sizeof img, &rs, why, sizeof why);
}

HTEST(finds_requests_without_markers)
{
	memset(img, 0, sizeof img);
	put_req(10, hhdm_id);
	put_req(100, mm_id);
	HT_ASSERT(scan() == ERR_OK);
	HT_EXPECT(rs.req[REQ_HHDM] == &img[10]);
	HT_EXPECT(rs.req[REQ_MEMMAP] == &img[100]);
	HT_EXPECT_EQ(rs.offset[REQ_MEMMAP], 800);
	HT_EXPECT_EQ(rs.room[REQ_MEMMAP], sizeof img - 800);
	HT_EXPECT(rs.req[REQ_SMP] == NULL);
	HT_EXPECT_EQ(rs.base_revision, 0); /* no tag: revision 0 */
	HT_EXPECT_EQ(rs.has_tag, 0);
	HT_EXPECT_EQ(rs.scan_start, 0);
	HT_EXPECT_EQ(rs.scan_end, sizeof img);
}

HTEST(markers_limit_the_search)
{
	memset(img, 0, sizeof img);
	put_req(2, mm_id);  /* before the start marker: ignored */
	put_start(20);      /* an earlier start marker: the last one counts */
	put_req(30, ss_id); /* so this one is ignored as well */
	put_start(40);
	put_rev(44, 2);
	put_req(50, hhdm_id);
	put_end(60);
	put_req(70, mm_id); /* after the end marker: ignored */
	put_end(80);
	HT_ASSERT(scan() == ERR_OK);
	HT_EXPECT(rs.req[REQ_HHDM] == &img[50]);
	HT_EXPECT(rs.req[REQ_MEMMAP] == NULL);
	HT_EXPECT(rs.req[REQ_STACK_SIZE] == NULL);
	HT_EXPECT_EQ(rs.scan_start, 44 * 8);
	HT_EXPECT_EQ(rs.scan_end, 60 * 8);
	HT_EXPECT_EQ(rs.base_revision, 2);
}

HTEST(duplicates_are_refused)
{
	memset(img, 0, sizeof img);
	put_req(10, hhdm_id);
	put_req(20, mm_id);
	put_req(30, hhdm_id);
	HT_EXPECT(scan() == ERR_EXIST);
	HT_EXPECT(strstr(why, "hhdm") != NULL);
	HT_EXPECT(strstr(why, "0x50") != NULL);
	HT_EXPECT(strstr(why, "0xf0") != NULL);
	/* a duplicate outside the delimited area does not count */
	put_end(25);
	HT_EXPECT(scan() == ERR_OK);
}

HTEST(unknown_requests_are_counted)
{
	static const uint64_t odd[4] = {LIMINE_MAGIC0, LIMINE_MAGIC1, 1, 2};
	memset(img, 0, sizeof img);
	put_req(10, odd);
	put_req(20, odd); /* unknown ids are not checked for duplicates */
	HT_ASSERT(scan() == ERR_OK);
	HT_EXPECT_EQ(rs.unknown, 2);
}

HTEST(base_revisions)
{
	for (uint64_t rev = 0; rev <= 2; rev++) {
		memset(img, 0, sizeof img);
		put_rev(8, rev);
		HT_ASSERT(scan() == ERR_OK);
		HT_EXPECT_EQ(rs.has_tag, 1);
		HT_EXPECT_EQ(rs.tag_answered, 1);
		HT_EXPECT_EQ(rs.requested_revision, rev);
		HT_EXPECT_EQ(rs.base_revision, rev);
		HT_EXPECT_EQ(img[10], 0); /* acknowledged */
	}
	memset(img, 0, sizeof img);
	put_rev(8, 3); /* newer than we implement: left as it is */
	HT_ASSERT(scan() == ERR_OK);
	HT_EXPECT_EQ(rs.tag_answered, 0);
	HT_EXPECT_EQ(rs.requested_revision, 3);
	HT_EXPECT_EQ(rs.base_revision, REQ_MAX_BASE_REVISION);
	HT_EXPECT_EQ(img[10], 3);
}

HTEST(truncated_structures_at_the_end)
{
	memset(img, 0, sizeof img);
	memcpy(&img[510], hhdm_id, 16); /* only the common magic fits */
	HT_ASSERT(scan() == ERR_OK);
	HT_EXPECT(rs.req[REQ_HHDM] == NULL);
	memset(img, 0, sizeof img);
	memcpy(&img[508], hhdm_id, 32); /* id fits, revision/response do not */
	HT_ASSERT(scan() == ERR_OK);
	HT_EXPECT(rs.req[REQ_HHDM] == NULL);
	img[510] = LIMINE_BASE_REVISION_MAGIC0; /* magic only, no revision word */
	img[511] = LIMINE_BASE_REVISION_MAGIC1;
	HT_ASSERT(scan() == ERR_OK);
	HT_EXPECT_EQ(rs.has_tag, 0);
}

HTEST(names)
{
	HT_EXPECT_STREQ(req_name(REQ_MEMMAP), "memmap");
	HT_EXPECT_STREQ(req_name(REQ_COUNT), "?");
}

HTEST_MAIN("boot_requests")
