// Reproducer in the style of syzkaller's C reproducers: sets a host name from the reserved
// "culprit-bug" namespace, which the test tree's buggy commit warns about.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	const char name[] = "culprit-bug-repro";

	if (sethostname(name, strlen(name)))
		perror("sethostname");
	return 0;
}
