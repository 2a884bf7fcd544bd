/* maxrss.c -- run a command and write its own peak RSS, in KiB, to a file.
 *
 *     maxrss OUT CMD [ARG...]
 *
 * Linux keeps the high-water mark of the image a process had before exec,
 * so a child forked from the Python harness never reports less than the
 * harness's RSS (a child of run.py running /bin/true "uses" ~17 MB).
 * Forked from this small program, the floor is ~1 MB.  Exits with the
 * command's status, or dies of the same signal. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: maxrss OUT CMD [ARG...]\n");
        return 2;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        perror("maxrss: fork");
        return 2;
    }
    if (pid == 0) {
#ifdef __linux__
        /* The harness kills this launcher on a timeout; take the command
         * with it rather than leave it running. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) {
            _exit(127);
        }
#endif
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int status;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) < 0) {
        perror("maxrss: wait4");
        return 2;
    }
    /* ru_maxrss covers the command and the children it waited for. */
    FILE *out = fopen(argv[1], "w");
    if (out == NULL) {
        perror(argv[1]);
        return 2;
    }
    int failed = fprintf(out, "%ld\n", usage.ru_maxrss) < 0;
    failed |= fclose(out) != 0;
    if (failed) {
        perror(argv[1]);
        return 2;
    }
    if (WIFSIGNALED(status)) {
        signal(WTERMSIG(status), SIG_DFL);
        raise(WTERMSIG(status));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}
