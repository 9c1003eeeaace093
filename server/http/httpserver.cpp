#include "httpserver.h"

#include "httpconnection.h"
#include "socketbuffers.h"

#include "server/core/logging.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>

namespace mmv::http {

namespace {

QString normalizedWebSocketPath(QString path)
{
    while (path.size() > 1 && path.endsWith(QLatin1Char('/')))
        path.chop(1);
    return path;
}

/// Sockets we may hold at all (HTTP, upgrading and WebSocket): never so many that accept()
/// would run out of file descriptors (keep some for files and Redis).
int descriptorCeiling()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        return qMax(16, int(qMin<rlim_t>(limit.rlim_cur, 1 << 30)) - 128);
    return 1 << 30;
}

/// An unmasked close frame (RFC 6455, 5.5.1) as a server sends it.
QByteArray closeFrame(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    const QByteArray text = reason.toUtf8().left(123);
    QByteArray frame;
    frame.append(char(0x88)); // FIN + close
    frame.append(char(2 + text.size()));
    frame.append(char(quint16(code) >> 8));
    frame.append(char(quint16(code) & 0xFF));
    frame.append(text);
    return frame;
}

/// HTTP connections we may hold: the configured maximum, within the descriptor ceiling.
int effectiveMaxConnections(int configured)
{
    return qMin(configured, descriptorCeiling());
}

} // namespace

HttpServer::HttpServer(QObject *parent)
    : QObject(parent)
{
    m_graceTimer.setSingleShot(true);
    connect(&m_graceTimer, &QTimer::timeout, this, [this] {
        const auto remaining = m_connections;
        if (!remaining.isEmpty())
            qCWarning(lcHttp) << remaining.size()
                              << "connections still busy at shutdown; closing them";
        for (HttpConnection *connection : remaining)
            connection->abort();
        for (const Lingering &lingering : m_lingering) {
            if (lingering.socket)
                lingering.socket->abort();
        }
        Q_EMIT finished();
    });
    m_resumeAcceptTimer.setSingleShot(true);
    connect(&m_resumeAcceptTimer, &QTimer::timeout, this, [this] {
        if (m_tcpServer && !m_shuttingDown)
            m_tcpServer->resumeAccepting();
    });
    m_shutdownSweepTimer.setInterval(20);
    connect(&m_shutdownSweepTimer, &QTimer::timeout, this, &HttpServer::closeDeliveredWebSockets);
    m_lingerTimer.setSingleShot(true);
    connect(&m_lingerTimer, &QTimer::timeout, this, &HttpServer::handleLingerTimeout);
    m_clock.start();
}

HttpServer::~HttpServer()
{
    // Connections are children; make sure none calls back into a half-destroyed server.
    for (HttpConnection *connection : std::as_const(m_connections))
        connection->disconnect(this);
}

void HttpServer::addWebSocketPath(const QString &path, WebSocketHandler handler,
                                  WebSocketCheck check)
{
    m_webSocketPaths.insert(normalizedWebSocketPath(path),
                            WebSocketPath{ std::move(handler), std::move(check) });
}

std::optional<HttpResponse> HttpServer::checkWebSocket(const HttpRequest &request) const
{
    const auto it = m_webSocketPaths.constFind(normalizedWebSocketPath(request.path));
    if (it == m_webSocketPaths.cend() || !it->check)
        return std::nullopt;
    return it->check(request);
}

bool HttpServer::hasWebSocketPath(const QString &path) const
{
    return m_webSocketPaths.contains(normalizedWebSocketPath(path));
}

Status HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (!m_tcpServer) {
        m_tcpServer = new QTcpServer(this);
        m_tcpServer->setMaxPendingConnections(1000);
        // Qt's default backlog of 50 overflows when thousands of clients (re)connect at once.
        m_tcpServer->setListenBacklogSize(1024);
        connect(m_tcpServer, &QTcpServer::newConnection, this, &HttpServer::handleNewConnections);
        connect(m_tcpServer, &QTcpServer::acceptError, this, &HttpServer::handleAcceptError);
    }
    if (!m_webSocketServer) {
        m_webSocketServer = new QWebSocketServer(QStringLiteral("MultiModelVideo"),
                                                 QWebSocketServer::NonSecureMode, this);
        m_webSocketServer->setMaxPendingConnections(100000);
        connect(m_webSocketServer, &QWebSocketServer::newConnection, this,
                &HttpServer::handleWebSocket);
    }
    if (!m_tcpServer->listen(address, port)) {
        const QString where = QStringLiteral("%1:%2").arg(address.toString()).arg(port);
        QString message;
        switch (m_tcpServer->serverError()) {
        case QAbstractSocket::AddressInUseError:
            message = QStringLiteral("port %1 is already in use on %2 (another instance running? "
                                     "choose another with --port)")
                          .arg(port)
                          .arg(address.toString());
            break;
        case QAbstractSocket::SocketAccessError:
            message = QStringLiteral("not allowed to listen on %1 (ports below 1024 need "
                                     "privileges)")
                          .arg(where);
            break;
        case QAbstractSocket::SocketAddressNotAvailableError:
            message
                = QStringLiteral("cannot bind %1: the address is not on this machine").arg(where);
            break;
        default:
            message
                = QStringLiteral("cannot listen on %1: %2").arg(where, m_tcpServer->errorString());
            break;
        }
        return AppError{ ErrorCode::Unavailable, message };
    }
    m_limits.maxConnections = effectiveMaxConnections(m_limits.maxConnections);
    m_socketCeiling = descriptorCeiling();
    qCDebug(lcHttp) << "listening on" << address << m_tcpServer->serverPort();
    return std::nullopt;
}

bool HttpServer::isListening() const
{
    return m_tcpServer && m_tcpServer->isListening();
}

quint16 HttpServer::port() const
{
    return m_tcpServer ? m_tcpServer->serverPort() : 0;
}

QHostAddress HttpServer::address() const
{
    return m_tcpServer ? m_tcpServer->serverAddress() : QHostAddress();
}

void HttpServer::handleNewConnections()
{
    while (QTcpSocket *socket = m_tcpServer->nextPendingConnection()) {
        if (socketCount() >= m_socketCeiling) {
            // Past the descriptor ceiling (the limit minus what files and Redis need), a client
            // is turned away at once, as the reference does, and retries later. Leaving it in
            // the backlog would make it wait for a timeout; and accepting until accept() fails
            // with EMFILE makes Qt 6.4 retry at once, forever (a core spinning).
            if (!m_ceilingWarned) {
                qCWarning(lcHttp) << socketCount() << "sockets open, the most the descriptor"
                                  << "limit allows; turning new connections away";
                m_ceilingWarned = true;
            }
            socket->abort();
            socket->deleteLater();
            continue;
        }
        m_ceilingWarned = false;
        // Small real-time frames must not wait for Nagle's algorithm.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        useSmallSocketBuffers(socket);
        auto *connection = new HttpConnection(socket, this);
        connect(connection, &HttpConnection::closed, this, &HttpServer::handleConnectionClosed);
        m_connections.insert(connection);
        if (m_shuttingDown) {
            connection->rejectAndClose(
                AppError{ ErrorCode::Unavailable, QStringLiteral("the server is shutting down") });
        } else if (int(m_connections.size()) > m_limits.maxConnections) {
            qCWarning(lcHttp) << "connection limit of" << m_limits.maxConnections
                              << "reached; refusing" << socket->peerAddress();
            connection->rejectAndClose(
                AppError{ ErrorCode::Unavailable, QStringLiteral("too many connections") });
        }
    }
}

int HttpServer::socketCount() const
{
    return int(m_connections.size() + m_upgrading.size()) + m_webSocketCount;
}

void HttpServer::handleAcceptError()
{
    // Out of file descriptors (or similar): QTcpServer paused accepting. Retry shortly
    // rather than spinning; existing connections keep being served.
    qCWarning(lcHttp) << "cannot accept connections:" << m_tcpServer->errorString();
    m_resumeAcceptTimer.start(500);
}

void HttpServer::handleConnectionClosed(HttpConnection *connection)
{
    if (!m_connections.remove(connection))
        return;
    connection->deleteLater();
    if (m_tcpServer && !m_tcpServer->isListening() && !m_shuttingDown)
        return;
    finishShutdownIfDone();
}

void HttpServer::upgradeToWebSocket(HttpConnection *connection, const HttpRequest &request)
{
    m_connections.remove(connection);
    QTcpSocket *socket = connection->takeSocket();
    connection->deleteLater();
    const auto key = qMakePair(socket->peerAddress().toString(), socket->peerPort());
    // Forget the request if the handshake never completes (QWebSocketServer drops it).
    const QMetaObject::Connection forget
        = connect(socket, &QObject::destroyed, this, [this, key] { m_upgrading.remove(key); });
    m_upgrading.insert(key, Upgrading{ request, socket, forget });
    m_webSocketServer->handleConnection(socket);
}

void HttpServer::handleWebSocket()
{
    while (QWebSocket *socket = m_webSocketServer->nextPendingConnection()) {
        const QString path = normalizedWebSocketPath(socket->requestUrl().path());
        const auto entry = m_webSocketPaths.constFind(path);
        const Upgrading upgrading
            = m_upgrading.take(qMakePair(socket->peerAddress().toString(), socket->peerPort()));
        const HttpRequest &request = upgrading.request;
        if (upgrading.socket) {
            // Take the TCP socket away from QWebSocketServer: Qt 6.4 keeps every handed-over
            // socket's disconnected() connected to the server, whose slot then looks up
            // sender() among all of them (O(n) per disconnect: minutes for a mass disconnect),
            // and that slot is what deleted the socket. Now the QWebSocket owns it.
            disconnect(upgrading.forget);
            QObject::disconnect(upgrading.socket, &QAbstractSocket::disconnected, m_webSocketServer,
                                nullptr);
            upgrading.socket->setParent(socket);
        }
        ++m_webSocketCount;
        connect(socket, &QObject::destroyed, this, [this] { --m_webSocketCount; });
        if (entry == m_webSocketPaths.cend() || m_shuttingDown) {
            closeWebSocket(socket, QWebSocketProtocol::CloseCodeGoingAway);
            continue;
        }
        entry->handler(socket, request);
    }
}

void HttpServer::closeWebSocket(QWebSocket *socket, QWebSocketProtocol::CloseCode code,
                                const QString &reason)
{
    socket->setParent(this);
    QTcpSocket *tcp = socket->findChild<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly);
    if (tcp && socket->state() == QAbstractSocket::ConnectedState
        && tcp->state() == QAbstractSocket::ConnectedState) {
        // QWebSocket::close() would close the TCP socket once flushed, leaving what the client
        // sends meanwhile unread: closing a socket with unread data resets the connection, and
        // the kernel drops what it has not sent yet. So: our close frame after what is queued,
        // then half-close once flushed, reading (and dropping) until the client closes too.
        QObject::disconnect(tcp, &QIODevice::readyRead, socket, nullptr);
        connect(tcp, &QIODevice::readyRead, tcp, [tcp] { tcp->skip(tcp->bytesAvailable()); });
        tcp->write(closeFrame(code, reason));
        const auto shutdownWhenFlushed = [tcp] {
            if (tcp->bytesToWrite() > 0 || tcp->state() != QAbstractSocket::ConnectedState)
                return false;
            ::shutdown(int(tcp->socketDescriptor()), SHUT_WR);
            return true;
        };
        if (!shutdownWhenFlushed()) {
            auto flushed = std::make_shared<QMetaObject::Connection>();
            *flushed = connect(tcp, &QIODevice::bytesWritten, tcp, [flushed, shutdownWhenFlushed] {
                if (shutdownWhenFlushed())
                    QObject::disconnect(*flushed);
            });
        }
    } else if (socket->state() == QAbstractSocket::ConnectedState) {
        socket->close(code, reason);
    }
    if (socket->state() == QAbstractSocket::UnconnectedState) {
        socket->deleteLater();
        return;
    }
    // The TCP socket (the WebSocket's child) still sends: only deleting it would abort that.
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    ++m_lingeringCount;
    connect(socket, &QObject::destroyed, this, [this] {
        --m_lingeringCount;
        finishShutdownIfDone();
    });
    m_lingering.push_back(Lingering{ socket, m_clock.elapsed() + m_lingerMs });
    if (!m_lingerTimer.isActive())
        m_lingerTimer.start(m_lingerMs);
}

void HttpServer::handleLingerTimeout()
{
    const qint64 now = m_clock.elapsed();
    while (!m_lingering.empty() && m_lingering.front().deadline <= now) {
        const QPointer<QWebSocket> socket = m_lingering.front().socket;
        m_lingering.pop_front();
        if (socket) {
            qCDebug(lcHttp) << "WebSocket from" << socket->peerAddress()
                            << "did not take its last data in time; aborting it";
            socket->abort();
            socket->deleteLater();
        }
    }
    // Sockets that went meanwhile are dropped here too, so the queue never holds more than
    // lingerMs' worth of closes.
    while (!m_lingering.empty() && !m_lingering.front().socket)
        m_lingering.pop_front();
    if (!m_lingering.empty())
        m_lingerTimer.start(int(qMax<qint64>(1, m_lingering.front().deadline - now)));
}

void HttpServer::shutdown(int graceMs)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    if (m_tcpServer)
        m_tcpServer->close();
    const auto connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->closeWhenIdle();
    if (m_connections.isEmpty() && m_lingeringCount == 0) {
        QMetaObject::invokeMethod(this, &HttpServer::finished, Qt::QueuedConnection);
        return;
    }
    m_graceTimer.start(graceMs);
    if (m_lingeringCount > 0)
        m_shutdownSweepTimer.start();
}

void HttpServer::closeDeliveredWebSockets()
{
    // At shutdown, a closing WebSocket whose client has acknowledged everything (our close
    // frame and FIN included) has nothing left to lose: no need to wait for its client's side
    // of the close (an unresponsive client would hold the shutdown for the whole grace time).
    for (const Lingering &lingering : m_lingering) {
        if (!lingering.socket)
            continue;
        auto *tcp
            = lingering.socket->findChild<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly);
        int unacknowledged = -1;
        if (!tcp || tcp->bytesToWrite() > 0
            || ioctl(int(tcp->socketDescriptor()), SIOCOUTQ, &unacknowledged) != 0
            || unacknowledged > 0)
            continue;
        lingering.socket->abort();
        lingering.socket->deleteLater();
    }
    if (m_lingeringCount == 0 || !m_shuttingDown)
        m_shutdownSweepTimer.stop();
}

void HttpServer::finishShutdownIfDone()
{
    if (m_shuttingDown && m_lingeringCount == 0)
        m_shutdownSweepTimer.stop();
    if (m_shuttingDown && m_connections.isEmpty() && m_lingeringCount == 0
        && m_graceTimer.isActive()) {
        m_graceTimer.stop();
        Q_EMIT finished();
    }
}

} // namespace mmv::http
