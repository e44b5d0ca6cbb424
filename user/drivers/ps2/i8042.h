/* The i8042 PS/2 controller through its two ports (data 0x60, status and
 * command 0x64) and what ps2 asks of it: the mouse (the auxiliary port)
 * turned on, with its wheel if it has one.  Status bit 0: a byte waits in
 * 0x60, bit 1: the controller has not taken the last byte written, bit 5:
 * the waiting byte is the mouse's.  Commands (to 0x64): 0x20 read and 0x60
 * write the configuration byte (bit 0 keyboard interrupt, bit 1 mouse
 * interrupt, bit 5 mouse clock off), 0xa8 enable the mouse port, 0xd4
 * send the next data byte to the mouse.  Mouse commands: 0xf6 defaults,
 * 0xf3 sample rate, 0xf2 get ID, 0xf4 report; each answered 0xfa. */
#ifndef USER_DRIVERS_PS2_I8042_H
#define USER_DRIVERS_PS2_I8042_H

#include <rt/rt.h>
#include <stdbool.h>

#define I8042_DATA      0x60
#define I8042_STATUS    0x64
#define I8042_ST_OUTPUT 0x01
#define I8042_ST_INPUT  0x02
#define I8042_ST_AUX    0x20
#define MOUSE_ID_WHEEL  3 /* IntelliMouse: four-byte packets */

struct i8042 {
	struct rt_capref data, status;
};

/* Turns the mouse on, in four-byte mode if it answers the IntelliMouse
 * sequence with ID 3 (*wheel); leaves the mouse's interrupt enabled in
 * the configuration byte.  TIMEOUT the controller or mouse did not answer,
 * IO it answered something else. */
enum err i8042_mouse_on(const struct i8042 *c, bool *wheel);

#endif
