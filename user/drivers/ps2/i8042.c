/* The i8042 and the mouse behind it; see i8042.h.  Called before the
 * interrupt lines are bound, so it polls (a bounded number of reads). */
#include <rt/device.h>

#include "i8042.h"

#define TRIES        200000
#define CMD_READ_CFG 0x20
#define CMD_WRITE_CF 0x60
#define CMD_AUX_ON   0xa8
#define CMD_TO_AUX   0xd4
#define CFG_AUX_IRQ  0x02
#define CFG_AUX_OFF  0x20
#define AUX_DEFAULTS 0xf6
#define AUX_RATE     0xf3
#define AUX_GET_ID   0xf2
#define AUX_REPORT   0xf4
#define AUX_ACK      0xfa

static bool can_write(const struct i8042 *c)
{
	for (unsigned i = 0; i < TRIES; i++)
		if (!(rt_in(c->status, I8042_STATUS, 1) & I8042_ST_INPUT))
			return true;
	return false;
}

/* The next byte from the controller (aux: only the mouse's; keys that
 * come meanwhile are dropped); -1 none in time. */
static int next(const struct i8042 *c, bool aux)
{
	for (unsigned i = 0; i < TRIES; i++) {
		uint32_t st = rt_in(c->status, I8042_STATUS, 1);
		if (!(st & I8042_ST_OUTPUT))
			continue;
		uint8_t b = (uint8_t)rt_in(c->data, I8042_DATA, 1);
		if (!aux || (st & I8042_ST_AUX))
			return b;
	}
	return -1;
}

static enum err command(const struct i8042 *c, uint8_t cmd)
{
	return can_write(c) ? rt_out(c->status, I8042_STATUS, 1, cmd) : ERR_TIMEOUT;
}

static enum err data(const struct i8042 *c, uint8_t byte)
{
	return can_write(c) ? rt_out(c->data, I8042_DATA, 1, byte) : ERR_TIMEOUT;
}

/* One byte to the mouse, and its acknowledgement. */
static enum err to_mouse(const struct i8042 *c, uint8_t byte)
{
	enum err e = command(c, CMD_TO_AUX);

	if (!e)
		e = data(c, byte);
	if (e)
		return e;
	int r = next(c, true);
	return r < 0 ? ERR_TIMEOUT : r == AUX_ACK ? ERR_OK : ERR_IO;
}

enum err i8042_mouse_on(const struct i8042 *c, bool *wheel)
{
	static const uint8_t knock[] = {200, 100, 80}; /* the IntelliMouse sequence */

	for (unsigned i = 0; i < 64 && (rt_in(c->status, I8042_STATUS, 1) & I8042_ST_OUTPUT); i++)
		rt_in(c->data, I8042_DATA, 1); /* what waited: not an answer to us */
	enum err e = command(c, CMD_AUX_ON);
	int cfg = e ? -1 : (command(c, CMD_READ_CFG) ? -1 : next(c, false));

	*wheel = false;
	if (cfg < 0)
		return ERR_TIMEOUT;
	e = command(c, CMD_WRITE_CF);
	if (!e)
		e = data(c, (uint8_t)((cfg | CFG_AUX_IRQ) & ~CFG_AUX_OFF));
	if (!e)
		e = to_mouse(c, AUX_DEFAULTS);
	for (unsigned i = 0; !e && i < sizeof knock; i++) {
		e = to_mouse(c, AUX_RATE);
		if (!e)
			e = to_mouse(c, knock[i]);
	}
	if (!e)
		e = to_mouse(c, AUX_GET_ID);
	int id = e ? -1 : next(c, true);
	if (!e && id < 0)
		e = ERR_TIMEOUT;
	*wheel = id == MOUSE_ID_WHEEL;
	return e ? e : to_mouse(c, AUX_REPORT);
}
