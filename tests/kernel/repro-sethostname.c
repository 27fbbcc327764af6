// Reproducer for Culprit's test kernel tree (scripts/make-test-kernel-tree.sh), in the style of
// syzkaller's C reproducers: the culprit commit adds a WARN_ON to sethostname(2) for host names
// starting with "culprit-bug", and this program sets such a name, so a kernel with that commit prints
//   WARNING: CPU: 0 PID: N at kernel/sys.c:LINE __do_sys_sethostname+0x../0x..
// on its console. Kernels without it just change the host name. Needs CAP_SYS_ADMIN (run as root).
// Build: gcc -static -pthread -o repro repro-sethostname.c

#define _GNU_SOURCE

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_sethostname
#define __NR_sethostname 170
#endif

static const char name[] = "culprit-bug-repro";

static void* thr(void* data)
{
	syscall(__NR_sethostname, (unsigned long)data, (unsigned long)(sizeof(name) - 1));
	return 0;
}

int main(void)
{
	// Like syzkaller, the syscall arguments live in a data mapping of their own. Syzkaller fixes it
	// at 0x20000000 (MAP_FIXED); newer kernels place a static binary's heap anywhere in its first
	// gigabyte, so a fixed mapping there sometimes replaces the heap (and glibc's thread data with
	// it): the kernel picks the place instead.
	long data = syscall(__NR_mmap, 0ul, 0x1000000ul, 3ul, 0x22ul, -1, 0ul);
	if (data == -1)
		return 1;
	memcpy((void*)data, name, sizeof(name));
	for (int i = 0; i < 2; i++) {
		pthread_t th;
		if (pthread_create(&th, 0, thr, (void*)data) == 0)
			pthread_join(th, 0);
	}
	syscall(__NR_sethostname, (unsigned long)data, (unsigned long)(sizeof(name) - 1));
	return 0;
}
