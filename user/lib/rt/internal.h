/* What the runtime's own files share and programs do not call. */
#ifndef RT_INTERNAL_H
#define RT_INTERNAL_H

#include <stdint.h>
#include <tessera/dispatcher.h>

/* start.S */
void rt_fault_entry(void);
/* FXSAVE's image: 512 bytes, 16-byte aligned (Intel SDM vol. 1 §10.5.1). */
#define RT_FPU_BYTES 512
extern uint8_t rt_upcall_fpu[RT_FPU_BYTES];
_Noreturn void rt_resume(const struct arch_regs *r, uint32_t *disabled, const void *fpu);
extern const char rt_resume_end[];
void rt_thread_switch(struct arch_regs *save, void *stack, void *fpu);

/* rt.c: the top of the upcall stack (free to use while disabled outside
 * the upcalls). */
void *rt_upcall_stack_top(void);

/* thread.c: the first thread is the caller; a run upcall saves the
 * thread that ran and resumes the next (both never return). */
void rt_thread_init(void);
_Noreturn void rt_thread_run_upcall(struct disp_frame *f);
_Noreturn void rt_thread_dispatch(void);

#endif
