/* demo_type (demo.h), field by field as demo_args.schema declares it. */
#include "demo.h"

#include <tessera/caps.h>

static const char *const mode_names[] = {"fast", "small"};
static const struct typed_type mode = {.kind = TYPED_ENUM, .en = {mode_names, 2}};
static const struct typed_type width = {.kind = TYPED_UINT, .u = {320, 7680}};
static const struct typed_type height = {.kind = TYPED_UINT, .u = {200, 4320}};
static const struct typed_value width_def = {.type = &width, .u = 1024};
static const struct typed_value height_def = {.type = &height, .u = 768};
static const struct typed_field fb_fields[] = {
        {"width", "pixels", &width, &width_def},
        {"height", "", &height, &height_def},
};
static const struct typed_type fb = {.kind = TYPED_RECORD, .rec = {fb_fields, 2}};
static struct typed_value fb_items[] = {{.type = &width, .u = 1024}, {.type = &height, .u = 768}};
static const struct typed_value fb_def = {.type = &fb, .list = {fb_items, 2}};

static const struct typed_type cores = {.kind = TYPED_UINT, .u = {1, 64}};
static const struct typed_type memory = {.kind = TYPED_SIZE, .u = {64u << 10, 1u << 30}};
static const struct typed_value memory_def = {.type = &memory, .u = 1u << 20};
static const struct typed_type boolean = {.kind = TYPED_BOOL};
static const struct typed_value quiet_def = {.type = &boolean, .b = false};
static const struct typed_value mode_def = {.type = &mode, .u = 0};
static const struct typed_type duration = {.kind = TYPED_DURATION,
                                           .u = {1000000ull, 3600000000000ull}};
static const struct typed_type timeout = {.kind = TYPED_OPTIONAL, .inner = &duration};
static const struct typed_type name = {.kind = TYPED_STRING, .str = {16}};
static const struct typed_value name_def = {.type = &name, .str = {"demo", 4}};
static const struct typed_type path = {.kind = TYPED_PATH, .str = {64}};
static const struct typed_value root_def = {.type = &path, .str = {"/boot", 5}};
static const struct typed_type log = {.kind = TYPED_CAP, .cap = {CAP_LOG, CAP_RIGHT_WRITE}};
static const struct typed_type files = {.kind = TYPED_LIST, .list = {&path, 4}};
static const struct typed_value files_def = {.type = &files, .list = {NULL, 0}};
static const struct typed_type level = {.kind = TYPED_INT, .i = {-5, 5}};
static const struct typed_value level_def = {.type = &level, .i = 0};
static const struct typed_type tag = {.kind = TYPED_STRING, .str = {8}};
static const struct typed_type tag_list = {.kind = TYPED_LIST, .list = {&tag, 3}};
static const struct typed_type tags = {.kind = TYPED_OPTIONAL, .inner = &tag_list};

static const struct typed_field fields[DEMO_NFIELDS] = {
        [DEMO_CORES] = {"cores", "cores to run on", &cores, NULL},
        [DEMO_MEMORY] = {"memory", "memory budget", &memory, &memory_def},
        [DEMO_QUIET] = {"quiet", "print less", &boolean, &quiet_def},
        [DEMO_MODE] = {"mode", "", &mode, &mode_def},
        [DEMO_TIMEOUT] = {"timeout", "give up after this long", &timeout, NULL},
        [DEMO_NAME] = {"name", "", &name, &name_def},
        [DEMO_ROOT] = {"root", "", &path, &root_def},
        [DEMO_LOG] = {"log", "the log", &log, NULL},
        [DEMO_FILES] = {"files", "", &files, &files_def},
        [DEMO_FB] = {"fb", "", &fb, &fb_def},
        [DEMO_LEVEL] = {"level", "", &level, &level_def},
        [DEMO_TAGS] = {"tags", "", &tags, NULL},
};

const struct typed_type demo_type = {.kind = TYPED_RECORD, .rec = {fields, DEMO_NFIELDS}};
