/* Helpers for lines of serial output: firmware and loaders decorate the
 * console with ANSI escape sequences (OVMF clears the screen before the
 * first line), which are removed before any line is matched. */
#ifndef TOOLS_HARNESS_SERIAL_H
#define TOOLS_HARNESS_SERIAL_H

#include <stddef.h>

/* Removes escape sequences (CSI, OSC and two-byte ESC x), carriage returns
 * and other control characters but tab from line, in place. */
void serial_clean(char *line);

/* Finds "tessera: boot complete: X/Y cores online" anywhere in line;
 * returns 1 and sets *online = X, *total = Y, or returns 0. */
int serial_boot_complete(const char *line, int *online, int *total);

/* Recognises "tessera: loader: NAME VERSION, firmware: ..." and copies
 * "NAME VERSION" into loader (at most size-1 bytes); 1 if it matched. */
int serial_loader_line(const char *line, char *loader, size_t size);

#endif
