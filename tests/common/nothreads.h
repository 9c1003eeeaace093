#pragma once

// Runs code in a child process that cannot start threads (or only a few), to test what happens
// when the process is out of threads.

#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <ctime>
#include <functional>

namespace mmv::testing {

/// The exit status of `body` run in a forked child that can start `allowedThreads` threads
/// and no more (the next fails with EAGAIN); -1 when this machine cannot set that up. The
/// kernel counts threads per user (RLIMIT_NPROC) and exempts root, so the child first becomes
/// a user of its own (uid 60000 + this process's id modulo 5000: tests running side by side
/// do not share the count). Only the calling thread exists in the child: `body` must not need
/// any other thread of this process. A child that crashes (QTest's crash handler is taken out:
/// it cannot work without threads) or runs longer than `timeoutSeconds` (killed) gives 128 +
/// its signal.
inline int runWithoutThreads(const std::function<int()> &body, int allowedThreads = 0,
                             int timeoutSeconds = 60)
{
    const pid_t child = fork();
    if (child < 0)
        return -1;
    if (child == 0) {
        for (const int signal : { SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL })
            std::signal(signal, SIG_DFL);
        if (geteuid() == 0) {
            const uid_t user = 60000 + uid_t(getppid() % 5000);
            if (setgid(user) != 0 || setuid(user) != 0)
                _exit(125);
        }
        const rlimit limit{ rlim_t(1 + allowedThreads), rlim_t(1 + allowedThreads) };
        if (setrlimit(RLIMIT_NPROC, &limit) != 0)
            _exit(125);
        if (allowedThreads == 0) {
            // Where the limit is not enforced (a sandbox), there is nothing to test.
            pthread_t probe;
            if (pthread_create(
                    &probe, nullptr, [](void *) -> void * { return nullptr; }, nullptr)
                == 0) {
                pthread_join(probe, nullptr);
                _exit(125);
            }
        }
        _exit(body());
    }
    int status = 0;
    const timespec pause{ 0, 10 * 1000 * 1000 };
    for (int waited = 0;; ++waited) {
        const pid_t done = waitpid(child, &status, WNOHANG);
        if (done == child)
            break;
        if (done < 0)
            return -1;
        if (waited == timeoutSeconds * 100)
            kill(child, SIGKILL);
        nanosleep(&pause, nullptr);
    }
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return !WIFEXITED(status) || WEXITSTATUS(status) == 125 ? -1 : WEXITSTATUS(status);
}

} // namespace mmv::testing
