// Experiment only (FINDINGS.md): LD_PRELOAD this into our server to set TCP_NODELAY on every
// socket it accepts, which is what the proposed
// socket->setSocketOption(QAbstractSocket::LowDelayOption, 1) in HttpServer would do.
//
//   cc -shared -fPIC -O2 -o /tmp/nodelay.so tests/bench/experiments/nodelay.c -ldl
//   node tests/bench/run.mjs --workloads chat --experiment LD_PRELOAD=/tmp/nodelay.so

#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static int withNoDelay(int fd)
{
    if (fd >= 0) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

int accept(int socket, struct sockaddr *address, socklen_t *length)
{
    static int (*real)(int, struct sockaddr *, socklen_t *);
    if (!real)
        real = (int (*)(int, struct sockaddr *, socklen_t *))dlsym(RTLD_NEXT, "accept");
    return withNoDelay(real(socket, address, length));
}

int accept4(int socket, struct sockaddr *address, socklen_t *length, int flags)
{
    static int (*real)(int, struct sockaddr *, socklen_t *, int);
    if (!real)
        real = (int (*)(int, struct sockaddr *, socklen_t *, int))dlsym(RTLD_NEXT, "accept4");
    return withNoDelay(real(socket, address, length, flags));
}
