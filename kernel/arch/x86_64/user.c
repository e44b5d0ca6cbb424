/* User mode on x86_64: the SYSCALL MSRs, entering a dispatcher's registers
 * and the way back from an interrupt or exception taken in ring 3; the
 * assembly is user.S. */
#include <arch/arch.h>
#include <stddef.h>
#include <tessera/syscall.h>
#include <x86/x86.h>

#include "gdt.h"
#include "idt.h"

/* Per core (kernel data): the stack point arch_user_enter records, the
 * user RSP while SYSCALL switches stacks, the registers being run, and the
 * FS base last loaded. */
uint64_t user_kernel_rsp;
uint64_t user_rsp_scratch;
static struct arch_user *current;
static uint64_t fs_base_loaded;

void arch_user_enter(struct arch_user *u);
_Noreturn void arch_user_return(void);
void syscall_entry(void);

_Static_assert(offsetof(struct arch_user, regs.rax) == 0, "user_entry.S U_RAX");
_Static_assert(offsetof(struct arch_user, regs.rsp) == 56, "user_entry.S U_RSP");
_Static_assert(offsetof(struct arch_user, regs.r15) == 120, "user_entry.S U_R15");
_Static_assert(offsetof(struct arch_user, regs.rip) == 128, "user_entry.S U_RIP");
_Static_assert(offsetof(struct arch_user, regs.rflags) == 136, "user_entry.S U_RFLAGS");
_Static_assert(offsetof(struct arch_user, exit) == 152, "user_entry.S U_EXIT");
_Static_assert(GDT_USER_CODE == 0x23 && GDT_USER_DATA == 0x1b, "user_entry.S USER_CS, USER_SS");

/* RFLAGS bit 1 always reads 1 (SDM Vol. 1 §3.4.3). */
#define RFLAGS_RESERVED 0x2ull
/* What SYSCALL clears (FMASK): TF, IF, DF, NT, AC. */
#define SYSCALL_FMASK   0x44700ull

void arch_user_init(void)
{
	/* STAR: SYSCALL takes CS from bits 47:32 (SS = CS + 8); SYSRET takes
	 * CS from bits 63:48 + 16 and SS from bits 63:48 + 8 (SDM Vol. 2B
	 * SYSCALL, SYSRET), hence user data below user code in the GDT. */
	uint64_t star = (uint64_t)GDT_KERNEL_CODE << 32 | (uint64_t)(GDT_USER_DATA - 8) << 48;

	x86_wrmsr(X86_MSR_EFER, x86_rdmsr(X86_MSR_EFER) | X86_EFER_SCE);
	x86_wrmsr(X86_MSR_STAR, star);
	x86_wrmsr(X86_MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
	x86_wrmsr(X86_MSR_FMASK, SYSCALL_FMASK);
	x86_wrmsr(X86_MSR_FS_BASE, 0);
	fs_base_loaded = 0;
	/* x87 and SSE for user code: no emulation, FXSAVE/FXRSTOR, SIMD
	 * exceptions as #XM (SDM Vol. 3A §13.1.3) */
	x86_write_cr0((x86_read_cr0() & ~(X86_CR0_EM | X86_CR0_TS)) | X86_CR0_MP);
	/* no XSAVE state: FXSAVE images hold x87 and SSE only, so AVX must
	 * stay off (#UD) or its upper halves would pass between programs */
	x86_write_cr4((x86_read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT) & ~X86_CR4_OSXSAVE);
	__asm__ volatile("fninit");
}

/* The FXSAVE image's fields (SDM Vol. 1 Table 10-2). */
#define FX_FCW        0
#define FX_FTW        4
#define FX_MXCSR      24
#define FX_MXCSR_MASK 28
#define FCW_DEFAULT   0x037f /* all x87 exceptions masked, double extended */
#define MXCSR_DEFAULT 0x1f80 /* all SIMD exceptions masked, round to nearest */

static uint32_t mxcsr_mask = 0xffbf; /* SDM: 0xffbf when the CPU reports 0 */

void arch_fpu_reset(struct arch_fpu *f)
{
	__builtin_memset(f, 0, sizeof *f);
	*(uint16_t *)(f->area + FX_FCW) = FCW_DEFAULT;
	*(uint32_t *)(f->area + FX_MXCSR) = MXCSR_DEFAULT;
}

void arch_fpu_save(struct arch_fpu *f)
{
	__asm__ volatile("fxsave64 %0" : "=m"(*f));
	uint32_t m = *(uint32_t *)(f->area + FX_MXCSR_MASK);
	if (m)
		mxcsr_mask = m;
}

void arch_fpu_restore(struct arch_fpu *f)
{
	/* a reserved MXCSR bit would make FXRSTOR fault (#GP) */
	*(uint32_t *)(f->area + FX_MXCSR) &= mxcsr_mask;
	__asm__ volatile("fxrstor64 %0" : : "m"(*f));
}

bool arch_user_address(uint64_t va)
{
	return va < ARCH_USER_TOP;
}

void arch_user_run(struct arch_user *u)
{
	struct arch_regs *r = &u->regs;

	u->exit = 0;
	u->vector = 0;
	u->error = u->address = 0;
	if (!arch_user_address(r->rip) || !arch_user_address(r->fs_base)) {
		u->exit = ARCH_EXIT_FAULT; /* as if the CPU refused it: #GP */
		u->vector = IDT_GP;
		return;
	}
	r->rflags = (r->rflags & ARCH_USER_RFLAGS) | ARCH_RFLAGS_IF | RFLAGS_RESERVED;
	if (r->fs_base != fs_base_loaded) {
		x86_wrmsr(X86_MSR_FS_BASE, r->fs_base);
		fs_base_loaded = r->fs_base;
	}
	current = u;
	arch_user_enter(u);
	current = NULL;
}

/* idt_dispatch, for a frame from ring 3: the registers go to the dispatcher
 * being run; an interrupt's handler runs first (EOI, the tick); then back
 * to arch_user_run's caller. */
_Noreturn void arch_user_trap(struct trap_frame *tf, void (*handler)(struct trap_frame *))
{
	struct arch_user *u = current;
	struct arch_regs *r = &u->regs;

	/* An interrupt or exception keeps the program's AC (SDM Vol. 3A
	 * §6.12.1 clears only TF, VM, RF, NT and IF): with AC set SMAP stops
	 * guarding the kernel, which goes on from here.  isr_common has
	 * cleared DF. */
	__asm__ volatile("pushfq\n\tandq %0, (%%rsp)\n\tpopfq" ::"i"(~X86_RFLAGS_AC)
	                 : "memory", "cc");
	if (tf->vector >= IDT_EXCEPTIONS && handler)
		handler(tf);
	*r = (struct arch_regs){.rax = tf->rax,
	                        .rbx = tf->rbx,
	                        .rcx = tf->rcx,
	                        .rdx = tf->rdx,
	                        .rsi = tf->rsi,
	                        .rdi = tf->rdi,
	                        .rbp = tf->rbp,
	                        .rsp = tf->rsp,
	                        .r8 = tf->r8,
	                        .r9 = tf->r9,
	                        .r10 = tf->r10,
	                        .r11 = tf->r11,
	                        .r12 = tf->r12,
	                        .r13 = tf->r13,
	                        .r14 = tf->r14,
	                        .r15 = tf->r15,
	                        .rip = tf->rip,
	                        .rflags = tf->rflags,
	                        .fs_base = r->fs_base};
	u->vector = (uint32_t)tf->vector;
	if (tf->vector >= IDT_EXCEPTIONS) {
		u->exit = ARCH_EXIT_INTERRUPT;
	} else {
		u->exit = ARCH_EXIT_FAULT;
		u->error = tf->error;
		u->address = tf->vector == IDT_PF ? x86_read_cr2() : 0;
	}
	arch_user_return();
}

void arch_syscall_args(const struct arch_regs *r, struct cap_invocation_args *a)
{
	*a = (struct cap_invocation_args){
	        .cap = r->rdi,
	        .depth = r->rsi,
	        .method = r->rax,
	        .arg = {r->rdx, r->r10, r->r8, r->r9, r->r12, r->r13, r->r14, r->r15}};
}

void arch_syscall_result(struct arch_regs *r, const struct cap_invocation_result *res)
{
	r->rax = res->err;
	r->rdi = res->value[0];
	r->rsi = res->value[1];
	r->rdx = res->value[2];
	r->r10 = res->value[3];
	r->r8 = res->value[4];
	r->r9 = res->value[5];
	r->r12 = res->value[6];
}

void arch_upcall(struct arch_regs *r, uint64_t pc, uint64_t sp, uint64_t a0, uint64_t a1,
                 uint64_t a2, uint64_t a3)
{
	uint64_t fs = r->fs_base;

	/* SysV: the stack is 16-byte aligned before a call, so at a function's
	 * first instruction rsp + 8 is; an upcall enters like a call. */
	*r = (struct arch_regs){.rip = pc,
	                        .rsp = (sp & ~15ull) - 8,
	                        .rdi = a0,
	                        .rsi = a1,
	                        .rdx = a2,
	                        .rcx = a3,
	                        .rflags = ARCH_RFLAGS_IF,
	                        .fs_base = fs};
}
