/* Faults a test program causes on purpose, and survives: a probe is one
 * piece of inline assembly (PROBE_ASM) that records where execution goes
 * on if it faults (its end) and on which stack; the program's own fault
 * entry (probe_init) records the fault and resumes there with the
 * registers of the fault, so one run can try every faulting instruction.
 * A fault outside a probe ends the program with 200 + the vector.
 */
#ifndef USER_TESTS_PROBE_H
#define USER_TESTS_PROBE_H

#include <stdbool.h>
#include <stdint.h>

struct probe_fault {
	uint64_t vector, error, address, ip;
};

/* Where the probe under way goes on, and its stack (0: no probe). */
extern volatile uint64_t probe_resume_at, probe_resume_sp;

/* The text of a probe around the instructions insn (which must not use
 * the local label 8191; r11 is clobbered). */
#define PROBE_ASM(insn)                                             \
	"leaq 8191f(%%rip), %%r11\n\t"                              \
	"movq %%r11, probe_resume_at(%%rip)\n\t"                    \
	"movq %%rsp, probe_resume_sp(%%rip)\n\t" insn "\n8191:\n\t" \
	"movq $0, probe_resume_at(%%rip)\n\t"

/* Installs the fault entry (the frame's fault_entry). */
void probe_init(void);

/* Forgets the last fault (before a probe). */
void probe_clear(void);

/* The fault the last probe took since probe_clear: false if none. */
bool probe_took(struct probe_fault *out);

/* Faults taken so far. */
uint64_t probe_count(void);

#endif
