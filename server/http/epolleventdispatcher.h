#pragma once

#include <QAbstractEventDispatcher>

#include <memory>

namespace mmv::http {

/// An event dispatcher over Linux epoll for the network thread. Qt 6.4 offers GLib's (a
/// linked list of poll records: every notifier toggle is O(sockets), and every wakeup polls
/// every descriptor) and QEventDispatcherUNIX (poll() over every descriptor per wakeup).
/// Here enabling or disabling a socket notifier is one epoll_ctl(), a wakeup costs what is
/// ready, not what is open. Timers are Qt's own (QTimerInfoList), so precise, coarse and
/// very coarse timers behave exactly as with Qt's dispatchers; waits have nanosecond
/// resolution (epoll_pwait2, else epoll_wait in whole milliseconds). Posted events, wakeUp() and
/// interrupt() from other threads go through an eventfd.
class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

    /// True once waits use epoll_wait (millisecond timeouts, rounded up) because
    /// epoll_pwait2 is missing (Linux < 5.11) or filtered (EPERM, ENOSYS), or because the
    /// environment says MMV_EPOLL_NO_PWAIT2=1 (to test that path).
    bool waitsInMilliseconds() const;

    /// The dispatcher for the network thread: this one, or none (Qt's default) when the
    /// environment says MMV_EVENT_DISPATCHER=qt (for A/B measurements).
    static QAbstractEventDispatcher *createForNetworkThread();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mmv::http
