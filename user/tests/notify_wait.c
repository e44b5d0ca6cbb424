/* Waits on the notification in slot 16 (it blocks: nothing has signalled
 * it yet) and ends with the bits that woke it. */
#include <rt/rt.h>

int main(void)
{
	struct cap_results_notify_wait w;

	if (invoke_notify_wait(rt_cap(16), rt_depth(), EP_NONBLOCK, &w) != ERR_EMPTY)
		return 1;
	if (invoke_notify_wait(rt_cap(16), rt_depth(), 0, &w))
		return 2;
	return (int)w.bits;
}
