#pragma once

#include "originpolicy.h"
#include "router.h"

#include "server/core/apperror.h"
#include "server/core/servertypes.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocketProtocol>

#include <deque>
#include <functional>

class QTcpServer;
class QWebSocket;
class QWebSocketServer;

namespace mmv::http {

class HttpConnection;

/// The HTTP/1.1 front: accepts TCP connections, parses requests with http-parser, routes
/// them, enforces limits and timeouts, and hands WebSocket upgrades on registered paths to
/// a QWebSocketServer. Lives in (and must only be used from) the network thread.
class HttpServer : public QObject
{
    Q_OBJECT

public:
    /// Receives an established WebSocket (and owns it) with the request that opened it.
    using WebSocketHandler = std::function<void(QWebSocket *socket, const HttpRequest &request)>;
    /// Looks at an upgrade request before the hand-off; a response refuses the upgrade.
    using WebSocketCheck = std::function<std::optional<HttpResponse>(const HttpRequest &request)>;

    explicit HttpServer(QObject *parent = nullptr);
    ~HttpServer() override;

    void setLimits(const HttpLimits &limits) { m_limits = limits; }
    const HttpLimits &limits() const { return m_limits; }
    Router &router() { return m_router; }
    OriginPolicy &originPolicy() { return m_origins; }

    /// WebSocket upgrade requests on `path` (with or without a trailing slash) are handed to
    /// QWebSocketServer; the handler receives each established socket and owns it.
    void addWebSocketPath(const QString &path, WebSocketHandler handler, WebSocketCheck check = {});
    bool hasWebSocketPath(const QString &path) const;
    /// Runs the path's check; returns the refusal, if any.
    std::optional<HttpResponse> checkWebSocket(const HttpRequest &request) const;

    /// Binds and listens. Errors say what to do ("port 8765 is already in use").
    Status listen(const QHostAddress &address, quint16 port);
    bool isListening() const;
    quint16 port() const;
    QHostAddress address() const;

    /// Stops accepting and closes idle connections; requests in progress are answered
    /// (with Connection: close). `finished` is emitted when the last connection, and the last
    /// WebSocket still sending its last data (closeWebSocket()), has gone, or after graceMs,
    /// whatever comes first.
    void shutdown(int graceMs);

    /// Closes a WebSocket the server ends and takes it over: its queued frames, then a close
    /// frame, go out before its TCP socket closes; the WebSocket is deleted once they have
    /// (or after lingerMs, when the client does not read them) and counts against the
    /// descriptor ceiling until then. Deleting a WebSocket at once would abort that data.
    void closeWebSocket(QWebSocket *socket,
                        QWebSocketProtocol::CloseCode code = QWebSocketProtocol::CloseCodeNormal,
                        const QString &reason = {});
    void setLingerTimeout(int lingerMs) { m_lingerMs = lingerMs; }

    int connectionCount() const { return int(m_connections.size()); }
    int webSocketCount() const { return m_webSocketCount; }
    qint64 requestsTotal() const { return m_requestsTotal; }
    qint64 bytesIn() const { return m_bytesIn; }
    qint64 bytesOut() const { return m_bytesOut; }

    // Used by HttpConnection.
    void countRequest() { ++m_requestsTotal; }
    void countBytes(qint64 in, qint64 out)
    {
        m_bytesIn += in;
        m_bytesOut += out;
    }
    void upgradeToWebSocket(HttpConnection *connection, const HttpRequest &request);
    bool isShuttingDown() const { return m_shuttingDown; }

Q_SIGNALS:
    void finished();

private:
    void handleNewConnections();
    void handleAcceptError();
    void handleConnectionClosed(HttpConnection *connection);
    void handleWebSocket();
    void finishShutdownIfDone();
    int socketCount() const;
    void handleLingerTimeout();
    void closeDeliveredWebSockets();

    HttpLimits m_limits;
    Router m_router;
    OriginPolicy m_origins;
    QTcpServer *m_tcpServer = nullptr;
    QWebSocketServer *m_webSocketServer = nullptr;
    struct WebSocketPath
    {
        WebSocketHandler handler;
        WebSocketCheck check;
    };
    QHash<QString, WebSocketPath> m_webSocketPaths;
    /// Upgrades in progress, by peer, until QWebSocketServer completes them.
    struct Upgrading
    {
        HttpRequest request;
        QPointer<QTcpSocket> socket;
        QMetaObject::Connection forget;
    };
    QHash<QPair<QString, quint16>, Upgrading> m_upgrading;
    QSet<HttpConnection *> m_connections;
    int m_webSocketCount = 0;
    int m_socketCeiling = 1 << 30;
    bool m_ceilingWarned = false;
    qint64 m_requestsTotal = 0;
    qint64 m_bytesIn = 0;
    qint64 m_bytesOut = 0;
    bool m_shuttingDown = false;
    QTimer m_graceTimer;
    QTimer m_resumeAcceptTimer;
    /// WebSockets closed by the server, still sending, oldest first (one timeout for all).
    struct Lingering
    {
        QPointer<QWebSocket> socket;
        qint64 deadline = 0;
    };
    std::deque<Lingering> m_lingering;
    int m_lingeringCount = 0; ///< those of m_lingering not gone yet
    QTimer m_lingerTimer;
    QTimer m_shutdownSweepTimer;
    QElapsedTimer m_clock;
    int m_lingerMs = 5000;
};

} // namespace mmv::http
