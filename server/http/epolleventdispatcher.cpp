#include "epolleventdispatcher.h"

#include <QtCore/private/qthread_p.h>
#include <QtCore/private/qtimerinfo_unix_p.h>

#include <QCoreApplication>
#include <QHash>
#include <QSocketNotifier>
#include <QThread>

#include <cerrno>
#include <cstring>
#include <vector>

#include <climits>

#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace mmv::http {

namespace {

constexpr int MaxEventsPerWait = 1024;

/// epoll_wait()'s timeout: whole milliseconds, rounded up (never wake before a timer is due).
int waitMilliseconds(const timespec *timeout)
{
    if (!timeout)
        return -1;
    const qint64 ms = qint64(timeout->tv_sec) * 1000 + (timeout->tv_nsec + 999'999) / 1'000'000;
    return int(qMin<qint64>(ms, INT_MAX));
}

} // namespace

struct EpollEventDispatcher::Private
{
    /// The notifiers of one descriptor and the events epoll watches for it (0: not added).
    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 events = 0;
    };

    int epollFd = -1;
    int wakeFd = -1;
    /// epoll_pwait2 (Linux 5.11) until it fails with ENOSYS or EPERM (older kernels, seccomp
    /// filters of containers), then epoll_wait with millisecond timeouts for good.
    bool usePwait2 = true;
    QAtomicInt wakeUpPending;
    QAtomicInt interrupted;
    QTimerInfoList timers;
    QHash<int, Watch> watches;
    /// Notifiers that are ready in this turn; unregistering one clears its entry.
    std::vector<QSocketNotifier *> pending;

    static quint32 wantedEvents(const Watch &watch);
    int wait(epoll_event *events, const timespec *timeout);
    /// Waits for the eventfd alone (a turn that excludes socket notifiers); true if woken.
    bool waitForWakeUp(const timespec *timeout);
    void readWakeUp();
    /// Brings the kernel's watch of `fd` in line with its notifiers; `lazy` keeps events
    /// that are no longer wanted until they occur (see update()).
    void update(int fd, Watch &watch, bool lazy = false);
    QSocketNotifier *&slot(Watch &watch, QSocketNotifier::Type type)
    {
        switch (type) {
        case QSocketNotifier::Read:
            return watch.read;
        case QSocketNotifier::Write:
            return watch.write;
        case QSocketNotifier::Exception:
            break;
        }
        return watch.exception;
    }
};

quint32 EpollEventDispatcher::Private::wantedEvents(const Watch &watch)
{
    return (watch.read ? quint32(EPOLLIN) : 0u) | (watch.write ? quint32(EPOLLOUT) : 0u)
        | (watch.exception ? quint32(EPOLLPRI) : 0u);
}

int EpollEventDispatcher::Private::wait(epoll_event *events, const timespec *timeout)
{
    if (usePwait2) {
        const int count = epoll_pwait2(epollFd, events, MaxEventsPerWait, timeout, nullptr);
        if (count >= 0 || (errno != ENOSYS && errno != EPERM))
            return count;
        qInfo("EpollEventDispatcher: epoll_pwait2 is not available (%s); using epoll_wait",
              std::strerror(errno));
        usePwait2 = false;
    }
    return epoll_wait(epollFd, events, MaxEventsPerWait, waitMilliseconds(timeout));
}

bool EpollEventDispatcher::Private::waitForWakeUp(const timespec *timeout)
{
    pollfd fd{ wakeFd, POLLIN, 0 };
    if (ppoll(&fd, 1, timeout, nullptr) <= 0 || !(fd.revents & POLLIN))
        return false;
    readWakeUp();
    return true;
}

void EpollEventDispatcher::Private::readWakeUp()
{
    eventfd_t value;
    eventfd_read(wakeFd, &value);
    wakeUpPending.storeRelease(0);
}

void EpollEventDispatcher::Private::update(int fd, Watch &watch, bool lazy)
{
    const quint32 wanted = wantedEvents(watch);
    if (wanted == watch.events)
        return;
    if (wanted == 0) {
        // The descriptor may already be closed (then the kernel forgot it): ignore errors.
        epoll_ctl(epollFd, EPOLL_CTL_DEL, fd, nullptr);
        watch.events = 0;
        return;
    }
    // A buffered socket enables its write notifier for each write and disables it once
    // flushed: under a steady stream of broadcasts, leaving the kernel's watch as it is until
    // it reports an event nobody wants saves two epoll_ctl calls per message and socket.
    if (lazy && (wanted & ~watch.events) == 0)
        return;
    epoll_event event{};
    event.events = wanted;
    event.data.fd = fd;
    int op = watch.events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    if (epoll_ctl(epollFd, op, fd, &event) != 0) {
        // A descriptor closed and reused behind our back, or closed and added again: the
        // kernel's view differs from ours; take the other operation.
        const int error = errno;
        if ((op == EPOLL_CTL_MOD && error == ENOENT) || (op == EPOLL_CTL_ADD && error == EEXIST)) {
            op = op == EPOLL_CTL_MOD ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
            if (epoll_ctl(epollFd, op, fd, &event) != 0) {
                qWarning("EpollEventDispatcher: cannot watch descriptor %d: %s", fd,
                         std::strerror(errno));
                return;
            }
        } else {
            qWarning("EpollEventDispatcher: cannot watch descriptor %d: %s", fd,
                     std::strerror(error));
            return;
        }
    }
    watch.events = wanted;
}

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , d(std::make_unique<Private>())
{
    d->epollFd = epoll_create1(EPOLL_CLOEXEC);
    d->wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (d->epollFd < 0 || d->wakeFd < 0)
        qFatal("EpollEventDispatcher: cannot create epoll or eventfd: %s", std::strerror(errno));
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = d->wakeFd;
    epoll_ctl(d->epollFd, EPOLL_CTL_ADD, d->wakeFd, &event);
    d->pending.reserve(MaxEventsPerWait * 2);
    // For tests of the fallback (and kernels that have the call but misbehave).
    if (qEnvironmentVariableIntValue("MMV_EPOLL_NO_PWAIT2") != 0)
        d->usePwait2 = false;
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    qDeleteAll(d->timers);
    d->timers.clear();
    ::close(d->wakeFd);
    ::close(d->epollFd);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    d->interrupted.storeRelaxed(0);
    Q_EMIT awake();
    QThreadData *threadData = QThreadData::get2(QThread::currentThread());
    // As QEventDispatcherUNIX, report work done: posted events count too.
    int activated = threadData->canWaitLocked() ? 0 : 1;
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool canWait = threadData->canWaitLocked() && !d->interrupted.loadRelaxed()
        && (flags & QEventLoop::WaitForMoreEvents);
    if (canWait)
        Q_EMIT aboutToBlock();
    if (d->interrupted.loadRelaxed())
        return activated > 0;

    timespec wait{ 0, 0 };
    const timespec *timeout = &wait;
    if (canWait) {
        timeout = nullptr; // no timer: until something happens
        if (includeTimers && d->timers.timerWait(wait))
            timeout = &wait;
    }

    if (!includeNotifiers) {
        // Sockets stay watched (level-triggered) for a later turn: waiting on them here would
        // return at once, again and again, while any is ready.
        if (d->waitForWakeUp(timeout))
            ++activated;
        if (includeTimers)
            activated += d->timers.activateTimers();
        return activated > 0;
    }

    epoll_event events[MaxEventsPerWait];
    const int count = d->wait(events, timeout);
    if (count < 0 && errno != EINTR)
        qWarning("EpollEventDispatcher: waiting for events failed: %s", std::strerror(errno));

    d->pending.clear();
    for (int i = 0; i < count; ++i) {
        const int fd = events[i].data.fd;
        const quint32 ready = events[i].events;
        if (fd == d->wakeFd) {
            d->readWakeUp();
            ++activated;
            continue;
        }
        const auto it = d->watches.find(fd);
        if (it == d->watches.end())
            continue;
        if (ready & ~(Private::wantedEvents(*it) | EPOLLHUP | EPOLLERR))
            d->update(fd, *it); // an event kept by a lazy update: stop watching it now
        // As QEventDispatcherUNIX does with poll(): hang-ups and errors wake every notifier
        // (each then sees the error).
        if (it->read && (ready & (EPOLLIN | EPOLLHUP | EPOLLERR)))
            d->pending.push_back(it->read);
        if (it->write && (ready & (EPOLLOUT | EPOLLHUP | EPOLLERR)))
            d->pending.push_back(it->write);
        if (it->exception && (ready & (EPOLLPRI | EPOLLHUP | EPOLLERR)))
            d->pending.push_back(it->exception);
    }

    // A handler may disable or delete any notifier, which clears its entry here.
    for (size_t i = 0; i < d->pending.size(); ++i) {
        QSocketNotifier *notifier = std::exchange(d->pending[i], nullptr);
        if (!notifier)
            continue;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        ++activated;
    }
    d->pending.clear();
    if (includeTimers)
        activated += d->timers.activateTimers();
    return activated > 0;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    if (fd < 0) {
        qWarning("EpollEventDispatcher: cannot watch an invalid descriptor");
        return;
    }
    Private::Watch &watch = d->watches[fd];
    QSocketNotifier *&slot = d->slot(watch, notifier->type());
    if (slot && slot != notifier)
        qWarning("EpollEventDispatcher: several notifiers of one type for descriptor %d", fd);
    slot = notifier;
    d->update(fd, watch);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    // Whatever happens below, a notifier going away must never be activated this turn.
    for (QSocketNotifier *&ready : d->pending) {
        if (ready == notifier)
            ready = nullptr;
    }
    const int fd = int(notifier->socket());
    const auto it = d->watches.find(fd);
    if (it == d->watches.end())
        return;
    QSocketNotifier *&slot = d->slot(*it, notifier->type());
    if (slot != notifier)
        return;
    slot = nullptr;
    d->update(fd, *it, true);
    if (!it->read && !it->write && !it->exception)
        d->watches.erase(it);
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    d->timers.registerTimer(timerId, interval, timerType, object);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    return d->timers.unregisterTimer(timerId);
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    return d->timers.unregisterTimers(object);
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    return d->timers.registeredTimers(object);
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    return d->timers.timerRemainingTime(timerId);
}

bool EpollEventDispatcher::waitsInMilliseconds() const
{
    return !d->usePwait2;
}

void EpollEventDispatcher::wakeUp()
{
    // One write per sleep is enough; the loop clears the flag when it reads the eventfd.
    if (d->wakeUpPending.testAndSetAcquire(0, 1))
        eventfd_write(d->wakeFd, 1);
}

QAbstractEventDispatcher *EpollEventDispatcher::createForNetworkThread()
{
    if (qEnvironmentVariable("MMV_EVENT_DISPATCHER") == u"qt")
        return nullptr;
    return new EpollEventDispatcher;
}

void EpollEventDispatcher::interrupt()
{
    d->interrupted.storeRelaxed(1);
    wakeUp();
}

} // namespace mmv::http
