/* Names the command libraries print (shlib.h): PCI classes (PCI Code and
 * ID Assignment Specification 1.12, §1), GPT partition types (UEFI 2.10
 * table 5.7 and the types other systems registered), GUIDs as text
 * (RFC 4122 §3; GPT keeps the first three fields little-endian, UEFI
 * 2.10 appendix A) and sizes.  Freestanding (host-tested). */
#ifndef USER_SHLIB_NAMES_H
#define USER_SHLIB_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* class << 16 | subclass << 8 | prog-if: the most precise name known
 * ("SATA (AHCI)", else "storage"), or "" when even the class is not. */
const char *shlib_pci_class(uint32_t class);

/* A GPT type GUID (on-disk byte order): its name, or NULL. */
const char *shlib_gpt_type(const uint8_t guid[16]);

/* The GUID (on-disk byte order) as 36 characters, upper case, and a NUL. */
void shlib_guid_text(const uint8_t guid[16], char out[37]);

/* bytes as "512", "4K", "16M", "64G" (binary units; the largest that
 * divides it evenly).  Returns the length written (snprintf's). */
size_t shlib_size_text(uint64_t bytes, char *out, size_t size);

#endif
