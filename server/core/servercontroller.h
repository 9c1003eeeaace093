#pragma once

#include "apperror.h"
#include "servertypes.h"

#include <QObject>
#include <QPointer>
#include <QThread>

namespace mmv {

class ServerRuntime;

/// The facade the dashboard and app/ use to run the server.
///
/// It owns the network thread: every socket, the HTTP front and the real-time engine live
/// in that thread and are created there. This object lives in the caller's (GUI) thread and
/// only exchanges value types with the network thread through queued calls and signals.
class ServerController : public QObject
{
    Q_OBJECT

public:
    explicit ServerController(QObject *parent = nullptr);
    ~ServerController() override;

    /// Starts the network thread and binds the port. Blocks only until the socket is bound
    /// or binding failed (a few milliseconds); returns the failure as an error value.
    Status start(const ServerConfig &config);

    /// Stops accepting connections, lets in-flight responses finish for up to `graceMs`,
    /// closes everything and joins the network thread. Safe to call when not running.
    void stop(int graceMs = 5000);

    ServerState state() const { return m_state; }
    ServerStats stats() const { return m_stats; }
    ServerConfig config() const { return m_config; }

Q_SIGNALS:
    void stateChanged(const mmv::ServerState &state);
    /// Sampled once a second while listening.
    void statsUpdated(const mmv::ServerStats &stats);

private:
    void setState(const ServerState &state);

    ServerConfig m_config;
    ServerState m_state;
    ServerStats m_stats;
    QThread m_thread;
    QPointer<ServerRuntime> m_runtime;
};

} // namespace mmv
