#pragma once

#include "enginesocket.h"

#include "server/http/httpserver.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <vector>

namespace mmv::engineio {

/// The Engine.IO v4 server on the HTTP front: handshakes, long-polling requests, WebSocket
/// connections and upgrades at config.path. Emits connection() for every new session.
///
/// Errors answer as the reference server does: HTTP 400 with {"code": N, "message": ...}
/// (0 transport unknown, 1 session ID unknown, 2 bad handshake method, 3 bad request,
/// 5 unsupported protocol version), 403 with code 4 when refused.
class EngineServer : public QObject
{
    Q_OBJECT

public:
    EngineServer(http::HttpServer *http, EngineConfig config, QObject *parent = nullptr);
    ~EngineServer() override;

    const EngineConfig &config() const { return m_config; }
    int clientCount() const { return int(m_sockets.size()); }
    EngineSocket *socket(const QString &id) const { return m_sockets.value(id); }
    QList<EngineSocket *> sockets() const { return m_sockets.values(); }

    /// Closes every session (e.g. "server shutting down").
    void closeAll(const QString &reason);

    /// Counts protocol errors answered to clients, for the dashboard.
    qint64 protocolErrors() const { return m_protocolErrors; }

    // Used by EngineSocket.
    void removeSocket(EngineSocket *socket);
    http::HttpServer *http() const { return m_http; }
    void countProtocolError() { ++m_protocolErrors; }

    /// The heartbeat of every session: one timer and a timing wheel instead of a timer per
    /// session. `due` is a time of now(); the session's handleHeartbeat() runs at the first
    /// tick at or after it (at most heartbeatTickMs() late, never early).
    qint64 now() const { return m_clock.elapsed(); }
    qint64 heartbeatTickMs() const { return m_tickMs; }
    void scheduleHeartbeat(EngineSocket *socket, qint64 due);
    void cancelHeartbeat(EngineSocket *socket);

    enum ErrorCode {
        TransportUnknown = 0,
        UnknownSid = 1,
        BadHandshakeMethod = 2,
        BadRequest = 3,
        Forbidden = 4,
        UnsupportedProtocolVersion = 5,
    };
    static http::HttpResponse errorResponse(ErrorCode code);

Q_SIGNALS:
    void connection(mmv::engineio::EngineSocket *socket);

private:
    void handleRequest(http::HttpRequest &request, http::HttpResponder responder);
    std::optional<http::HttpResponse> checkWebSocket(const http::HttpRequest &request);
    void handleWebSocket(QWebSocket *socket, const http::HttpRequest &request);
    std::optional<ErrorCode> verifyQuery(const http::HttpRequest &request, bool upgrade) const;
    EngineSocket *createSocket(Transport transport, const http::HttpRequest &request);
    QString generateId() const;
    void handleHeartbeatTick();

    http::HttpServer *m_http = nullptr;
    EngineConfig m_config;
    QHash<QString, EngineSocket *> m_sockets;
    qint64 m_protocolErrors = 0;

    QElapsedTimer m_clock;
    QTimer m_heartbeatTimer;
    qint64 m_tickMs = 100;
    qint64 m_lastTick = 0; ///< the last tick whose slot was handled
    bool m_inHeartbeatTick = false; ///< sessions' handlers run (and may reschedule)
    std::vector<QList<EngineSocket *>> m_wheel; ///< slot = tick % size
    qsizetype m_scheduled = 0;
};

} // namespace mmv::engineio
