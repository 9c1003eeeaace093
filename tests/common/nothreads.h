#pragma once

// Runs code in a child process that cannot start threads, to test what happens when the
// process is out of threads.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <ctime>
#include <functional>

namespace mmv::testing {

/// The exit status of `body` run in a forked child whose thread creation fails (EAGAIN); -1
/// when this machine cannot set that up. The kernel exempts root from RLIMIT_NPROC, so as root
/// the child first becomes the user "nobody" (uid 65534). Only the calling thread exists in
/// the child: `body` must not need any other thread of this process. A child that crashes
/// (QTest's crash handler is taken out: it cannot work without threads) or runs longer than
/// `timeoutSeconds` (killed) gives 128 + its signal.
inline int runWithoutThreads(const std::function<int()> &body, int timeoutSeconds = 60)
{
    const pid_t child = fork();
    if (child < 0)
        return -1;
    if (child == 0) {
        for (const int signal : { SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL })
            std::signal(signal, SIG_DFL);
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(125);
        const rlimit none{ 0, 0 };
        if (setrlimit(RLIMIT_NPROC, &none) != 0)
            _exit(125);
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
