#pragma once

#include "apperror.h"
#include "servertypes.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

class QTimer;

namespace mmv {

namespace http {
class HttpServer;
class StaticFiles;
} // namespace http
namespace api {
class HealthController;
} // namespace api
namespace engineio {
class EngineServer;
} // namespace engineio
namespace socketio {
class SioServer;
} // namespace socketio

/// Everything that runs in the network thread, wired together: the HTTP front, the API
/// controllers and the static browser client. Created in the GUI thread, moved to the
/// network thread before start(); all its children are created there.
class ServerRuntime : public QObject
{
    Q_OBJECT

public:
    explicit ServerRuntime(const ServerConfig &config);
    ~ServerRuntime() override;

    /// Binds and starts serving; call in the network thread.
    Status start();
    /// Graceful stop; emits stopped() when done.
    void shutdown(int graceMs);

    ServerState state() const { return m_state; }
    ServerStats sampleStats() const;

Q_SIGNALS:
    void statsSampled(const mmv::ServerStats &stats);
    void stopped();

private:
    ServerConfig m_config;
    ServerState m_state;
    QElapsedTimer m_uptime;
    http::HttpServer *m_http = nullptr;
    engineio::EngineServer *m_engine = nullptr;
    socketio::SioServer *m_sio = nullptr;
    QTimer *m_statsTimer = nullptr;
    std::unique_ptr<http::StaticFiles> m_staticFiles;
    std::unique_ptr<api::HealthController> m_health;
};

} // namespace mmv
