/* The processor: privileged instructions, I/O ports, the flags a program
 * may not change, segment loads, far transfers into the kernel, the
 * floating-point state (usable) and AVX (not enabled), and stack pointers the
 * kernel must carry through a system call or a preemption unharmed.
 * Every one must trap with its vector in ring 3 (or, where the CPU allows
 * it, change nothing). */
#include "hostile.h"

#define GP 13
#define UD 6
#define NM 7
#define DE 0
#define PF 14

/* Inputs of the probes, loaded from memory so that every register may be
 * clobbered. */
static volatile uint64_t in_rax, in_rcx, in_rdx, in_rsi;
static uint8_t buffer[64] __attribute__((aligned(16)));

#define CLOBBERS                                                                                 \
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", \
	        "r15", "memory", "cc"
#define LOAD_INPUTS                                                                      \
	"movq in_rax(%%rip), %%rax\n\tmovq in_rcx(%%rip), %%rcx\n\t"                     \
	"movq in_rdx(%%rip), %%rdx\n\tmovq in_rsi(%%rip), %%rsi\n\tleaq buffer(%%rip), " \
	"%%rdi\n\t"

/* Runs insn with the inputs set; checks the vector (or vectors). */
#define TRY2(insn, v1, v2)                                                 \
	do {                                                               \
		probe_clear();                                             \
		__asm__ volatile(LOAD_INPUTS PROBE_ASM(insn)::: CLOBBERS); \
		hostile_fault2(__LINE__, insn, (v1), (v2));                \
	} while (0)
#define TRY(insn, v) TRY2(insn, v, v)

static void set_inputs(uint64_t rax, uint64_t rcx, uint64_t rdx, uint64_t rsi)
{
	in_rax = rax;
	in_rcx = rcx;
	in_rdx = rdx;
	in_rsi = rsi;
}

static void ports(void)
{
	static const uint16_t list[] = {0x3f8, 0x80, 0x20,  0x21,  0x40,  0x60,
	                                0x64,  0x70, 0xcf8, 0xcfc, 0x604, 0xffff};

	for (unsigned i = 0; i < sizeof list / sizeof list[0]; i++) {
		set_inputs(0, 1, list[i], (uint64_t)(uintptr_t)buffer);
		TRY("inb %%dx, %%al", GP);
		TRY("inw %%dx, %%ax", GP);
		TRY("inl %%dx, %%eax", GP);
		TRY("outb %%al, %%dx", GP);
		TRY("outw %%ax, %%dx", GP);
		TRY("outl %%eax, %%dx", GP);
		TRY("insb", GP);
		TRY("outsb", GP);
		TRY("rep insb", GP);
	}
	TRY("inb $0x80, %%al", GP);
	TRY("outb %%al, $0x80", GP);
	TRY("inb $0x60, %%al", GP);
}

static void privileged(void)
{
	set_inputs((uint64_t)(uintptr_t)buffer, 0xc0000080, 0, 0);
	TRY("cli", GP);
	TRY("sti", GP);
	TRY("hlt", GP);
	TRY("rdmsr", GP);
	TRY("wrmsr", GP);
	in_rcx = 0x1b; /* APIC base */
	TRY("rdmsr", GP);
	in_rcx = 0xc0000082; /* LSTAR */
	TRY("wrmsr", GP);
	in_rcx = 0;
	TRY("rdpmc", GP);
	TRY("movq %%cr0, %%rax", GP);
	TRY("movq %%cr2, %%rax", GP);
	TRY("movq %%cr3, %%rax", GP);
	TRY("movq %%cr4, %%rax", GP);
	TRY("movq %%cr8, %%rax", GP);
	TRY("movq %%rax, %%cr3", GP);
	TRY("movq %%rax, %%cr0", GP);
	TRY("movq %%rax, %%cr4", GP);
	TRY("movq %%dr7, %%rax", GP);
	TRY("movq %%rax, %%dr0", GP);
	TRY("lgdt (%%rax)", GP);
	TRY("lidt (%%rax)", GP);
	TRY("movw $0x28, %%ax\n\tlldt %%ax", GP);
	TRY("movw $0x28, %%ax\n\tltr %%ax", GP);
	TRY("invlpg (%%rax)", GP);
	TRY("invd", GP);
	TRY("wbinvd", GP);
	TRY("clts", GP);
	TRY("swapgs", GP);
	TRY(".byte 0x48, 0x0f, 0x07", GP);             /* sysretq */
	TRY2("sysenter", GP, UD);                      /* #UD on AMD */
	TRY2(".byte 0x0f, 0x35", GP, UD);              /* sysexit */
	TRY2(".byte 0x0f, 0x01, 0xd1", GP, UD);        /* xsetbv: #UD without CR4.OSXSAVE */
	TRY(".byte 0xf3, 0x48, 0x0f, 0xae, 0xd0", UD); /* wrfsbase: CR4.FSGSBASE is off */
	TRY(".byte 0xf3, 0x48, 0x0f, 0xae, 0xc9", UD); /* rdgsbase */
}

/* Software interrupts: every gate but the CPU's own is the kernel's. */
static void interrupts(void)
{
	TRY("int3", GP);
	TRY("int $0x80", GP);
	TRY("int $0x20", GP);
	TRY("int $0x0e", GP);
	TRY("int $0x02", GP);
	TRY("int $0xff", GP);
	TRY(".byte 0xce", UD); /* into: not in 64-bit mode */
	TRY("ud2", UD);
	set_inputs(1, 0, 0, 0);
	TRY("xorl %%ecx, %%ecx\n\tdivl %%ecx", DE);
}

/* Far transfers and segment loads towards ring 0. */
static void segments(void)
{
	uint64_t far[2] = {tp->kernel_text, 0x08};

	__builtin_memcpy(buffer, far, sizeof far);
	set_inputs((uint64_t)(uintptr_t)buffer, tp->kernel_text, 0, 0);
	TRY("ljmpq *(%%rax)", GP);
	TRY("lcallq *(%%rax)", GP);
	/* far returns: #GP on hardware; QEMU's TCG reads their stack as a
	 * supervisor access, which SMAP refuses with a #PF (still in ring 3) */
	TRY2("pushq $0x08\n\tpushq %%rcx\n\tlretq", GP, PF);
	TRY2("movq %%rsp, %%rdx\n\tpushq $0x10\n\tpushq %%rdx\n\tpushfq\n\tpushq $0x08\n\t"
	     "pushq %%rcx\n\tiretq",
	     GP, PF);
	TRY("movw $0x10, %%ax\n\tmovw %%ax, %%ds", GP);
	TRY("movw $0x10, %%ax\n\tmovw %%ax, %%ss", GP);
	TRY("movw $0x08, %%ax\n\tmovw %%ax, %%es", GP);
	TRY("movw $0x28, %%ax\n\tmovw %%ax, %%ds", GP);
	TRY("movw $0x1b, %%ax\n\tmovw %%ax, %%ds", NO_FAULT); /* its own: allowed */
}

/* popf cannot raise IOPL or clear IF in ring 3: the flags read back
 * unchanged, and I/O stays refused. */
static void flags(void)
{
	uint64_t after;

	probe_clear();
	__asm__ volatile(PROBE_ASM("pushfq\n\tmovq (%%rsp), %%rax\n\t"
	                           "orq $0x3000, %%rax\n\tandq $~0x200, %%rax\n\t"
	                           "movq %%rax, (%%rsp)\n\tpopfq\n\tpushfq\n\tpopq %[after]")
	                 : [after] "=r"(after)
	                 :
	                 : "rax", "r11", "memory", "cc");
	hostile_fault(__LINE__, "popf of IOPL 3, IF 0", NO_FAULT);
	EXPECT_TRUE((after & 0x3000) == 0);
	EXPECT_TRUE((after & 0x200) != 0);
	set_inputs(0, 0, 0x80, 0);
	TRY("inb %%dx, %%al", GP);
	TRY("cli", GP);
}

/* x87, MMX and SSE registers are each program's own (the kernel switches
 * them, kernel/sched/sched_test.c checks their values across switches):
 * they work.  AVX state is not enabled (CR4.OSXSAVE clear), so a VEX
 * instruction is #UD rather than touching upper halves nobody saves. */
static void fpu(void)
{
	TRY(".byte 0x66, 0x48, 0x0f, 0x6e, 0xc0", NO_FAULT); /* movq %rax, %xmm0 */
	TRY(".byte 0xdb, 0xe3", NO_FAULT);                   /* fninit */
	TRY(".byte 0xd9, 0xe8", NO_FAULT);                   /* fld1 */
	TRY(".byte 0xc5, 0xf8, 0x77", UD);                   /* vzeroupper */
	TRY(".byte 0x0f, 0x01, 0xd0", UD);                   /* xgetbv */
}

static bool has_umip(void)
{
	uint32_t a = 7, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return c & (1u << 2);
}

/* What ring 3 may do: read the cycle counter and CPUID; with UMIP the
 * descriptor-table stores are refused (without it they are allowed, and
 * say where the kernel's tables are). */
static void allowed(void)
{
	set_inputs((uint64_t)(uintptr_t)buffer, 0, 0, 0);
	TRY("rdtsc", NO_FAULT);
	TRY("movl $1, %%eax\n\tcpuid", NO_FAULT);
	unsigned umip = has_umip() ? GP : NO_FAULT;
	TRY("sgdt (%%rax)", umip);
	TRY("sidt (%%rax)", umip);
	TRY("sldt %%ax", umip);
	TRY("str %%ax", umip);
	TRY("smsw %%ax", umip);
}

/* Stack pointers the kernel gets back from a program: non-canonical, in
 * the kernel half, zero.  A system call returns, and a spin across timer
 * interrupts (disabled, so each preemption resumes these registers
 * exactly) goes on; neither may touch the stack in the kernel. */
static volatile uint64_t odd_rsp, spin_until;

static uint64_t syscall_with_rsp(void)
{
	register uint64_t rax __asm__("rax") = CAP_INV_IDENTIFY;
	register uint64_t rdi __asm__("rdi") = SLOT_ROOT;
	register uint64_t rsi __asm__("rsi") = D8;
	register uint64_t rdx __asm__("rdx") = 0;
	register uint64_t r10 __asm__("r10") = 0;
	register uint64_t r8 __asm__("r8") = 0;
	register uint64_t r9 __asm__("r9") = 0;
	register uint64_t r12 __asm__("r12") = 0;
	register uint64_t r13 __asm__("r13") = 0;
	register uint64_t r14 __asm__("r14") = 0;
	register uint64_t r15 __asm__("r15") = 0;

	probe_clear();
	__asm__ volatile(PROBE_ASM("movq %%rsp, %%rbx\n\tmovq odd_rsp(%%rip), %%rsp\n\t"
	                           "syscall\n\tmovq %%rbx, %%rsp")
	                 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8),
	                   "+r"(r9), "+r"(r12)
	                 : "r"(r13), "r"(r14), "r"(r15)
	                 : "rbx", "rcx", "r11", "memory");
	return rax;
}

static void spin_with_rsp(void)
{
	probe_clear();
	__asm__ volatile(PROBE_ASM("movq %%rsp, %%rbx\n\tmovq odd_rsp(%%rip), %%rsp\n\t"
	                           "movq spin_until(%%rip), %%rcx\n"
	                           "1:\trdtsc\n\tshlq $32, %%rdx\n\torq %%rdx, %%rax\n\t"
	                           "cmpq %%rcx, %%rax\n\tjb 1b\n\tmovq %%rbx, %%rsp")::
	                         : "rax", "rbx", "rcx", "rdx", "r11", "memory", "cc");
}

static void stacks(void)
{
	static const uint64_t odd[] = {0x0000800000000000ull, 0x8000000000000000ull,
	                               0xffff800000001000ull, 0};
	struct disp_frame *f = rt_frame();

	for (unsigned i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		odd_rsp = odd[i];
		f->disabled = 1;
		uint64_t e = syscall_with_rsp();
		f->disabled = 0;
		hostile_fault(__LINE__, "system call on an odd stack", NO_FAULT);
		EXPECT_ERR((enum err)e, ERR_OK);
		spin_until = rt_cycles() + rt_cycles_hz() / 20; /* 50 ms: several ticks */
		f->disabled = 1;
		spin_with_rsp();
		f->disabled = 0;
		hostile_fault(__LINE__, "preempted on an odd stack", NO_FAULT);
	}
}

void hostile_cpu(void)
{
	ports();
	privileged();
	interrupts();
	segments();
	flags();
	fpu();
	allowed();
	stacks();
}
