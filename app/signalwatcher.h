#pragma once

#include <QObject>

class QSocketNotifier;

namespace mmv {

/// Turns SIGINT and SIGTERM into a Qt signal in the main thread (self-pipe: the handler
/// only writes one byte, everything else happens in the event loop).
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    void handleActivated();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace mmv
