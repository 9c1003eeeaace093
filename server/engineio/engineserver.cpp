#include "engineserver.h"

#include "server/core/logging.h"

#include <QJsonObject>
#include <QRandomGenerator>
#include <QWebSocket>

namespace mmv::engineio {

namespace {

const char *errorMessage(EngineServer::ErrorCode code)
{
    switch (code) {
    case EngineServer::TransportUnknown:
        return "Transport unknown";
    case EngineServer::UnknownSid:
        return "Session ID unknown";
    case EngineServer::BadHandshakeMethod:
        return "Bad handshake method";
    case EngineServer::BadRequest:
        return "Bad request";
    case EngineServer::Forbidden:
        return "Forbidden";
    case EngineServer::UnsupportedProtocolVersion:
        return "Unsupported protocol version";
    }
    return "Bad request";
}

} // namespace

EngineServer::EngineServer(http::HttpServer *http, EngineConfig config, QObject *parent)
    : QObject(parent)
    , m_http(http)
    , m_config(std::move(config))
{
    if (!m_config.path.endsWith(QLatin1Char('/')))
        m_config.path += QLatin1Char('/');
    // Ticks of 1 % of the shorter heartbeat period (200 ms with the defaults: a ping goes out at
    // most 1 % late, a dead session is closed at most 1 % late); the wheel spans the longer one.
    const qint64 shorter = qMax(1, qMin(m_config.pingIntervalMs, m_config.pingTimeoutMs));
    const qint64 longer = qMax(m_config.pingIntervalMs, m_config.pingTimeoutMs);
    m_tickMs = qBound(qint64(1), shorter / 100, qint64(250));
    m_wheel.resize(size_t(longer / m_tickMs + 2));
    m_clock.start();
    m_heartbeatTimer.setTimerType(Qt::PreciseTimer);
    m_heartbeatTimer.setSingleShot(true); // re-armed to the next tick boundary
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &EngineServer::handleHeartbeatTick);
    http::RouteOptions options;
    options.maxBody = m_config.maxPayload;
    m_http->router().add(
        "*", m_config.path + QStringLiteral("{*rest}"),
        [this](http::HttpRequest &request, http::HttpResponder responder) {
            handleRequest(request, std::move(responder));
        },
        options);
    m_http->addWebSocketPath(
        m_config.path,
        [this](QWebSocket *socket, const http::HttpRequest &request) {
            handleWebSocket(socket, request);
        },
        [this](const http::HttpRequest &request) { return checkWebSocket(request); });
}

EngineServer::~EngineServer()
{
    // Sessions are children; they must not call back into a half-destroyed server.
    const auto sockets = m_sockets;
    m_sockets.clear();
    for (EngineSocket *socket : sockets) {
        socket->disconnect(this);
        socket->m_wheelSlot = -1;
    }
    m_wheel.clear();
    m_scheduled = 0;
}

http::HttpResponse EngineServer::errorResponse(ErrorCode code)
{
    const int status = code == Forbidden ? 403 : 400;
    return http::HttpResponse::json(
        status,
        QJsonObject{ { QStringLiteral("code"), int(code) },
                     { QStringLiteral("message"), QString::fromLatin1(errorMessage(code)) } });
}

std::optional<EngineServer::ErrorCode> EngineServer::verifyQuery(const http::HttpRequest &request,
                                                                 bool upgrade) const
{
    if (request.queryValue(QStringLiteral("EIO")) != u"4")
        return UnsupportedProtocolVersion;
    const QString transport = request.queryValue(QStringLiteral("transport"));
    const bool polling = transport == u"polling" && m_config.allowPolling;
    const bool webSocket = transport == u"websocket" && m_config.allowWebSocket;
    if (!polling && !webSocket)
        return TransportUnknown;
    if (upgrade != webSocket)
        return BadRequest; // a websocket transport must upgrade, polling must not
    return std::nullopt;
}

void EngineServer::handleRequest(http::HttpRequest &request, http::HttpResponder responder)
{
    if (request.method == "OPTIONS") {
        responder.send(m_http->originPolicy().preflight(request, { "GET", "POST" }));
        return;
    }
    if (const auto error = verifyQuery(request, false)) {
        ++m_protocolErrors;
        responder.send(errorResponse(*error));
        return;
    }
    const QString sid = request.queryValue(QStringLiteral("sid"));
    if (sid.isEmpty()) {
        if (request.method != "GET") {
            ++m_protocolErrors;
            responder.send(errorResponse(BadHandshakeMethod));
            return;
        }
        EngineSocket *socket = createSocket(Transport::Polling, request);
        socket->sendOpenPacket(m_config.allowWebSocket ? QStringList{ QStringLiteral("websocket") }
                                                       : QStringList{});
        socket->handlePoll(std::move(responder));
        Q_EMIT connection(socket);
        return;
    }
    EngineSocket *socket = m_sockets.value(sid);
    if (!socket) {
        ++m_protocolErrors;
        responder.send(errorResponse(UnknownSid));
        return;
    }
    if (socket->transport() != Transport::Polling) {
        ++m_protocolErrors;
        responder.send(errorResponse(BadRequest)); // upgraded: polling is over for this sid
        return;
    }
    if (request.method == "GET") {
        socket->handlePoll(std::move(responder));
    } else if (request.method == "POST") {
        socket->handlePost(request.body, std::move(responder));
    } else {
        ++m_protocolErrors;
        responder.send(errorResponse(BadRequest));
    }
}

std::optional<http::HttpResponse> EngineServer::checkWebSocket(const http::HttpRequest &request)
{
    if (const auto error = verifyQuery(request, true)) {
        ++m_protocolErrors;
        return errorResponse(*error);
    }
    const QString sid = request.queryValue(QStringLiteral("sid"));
    if (sid.isEmpty())
        return std::nullopt;
    EngineSocket *socket = m_sockets.value(sid);
    if (!socket) {
        ++m_protocolErrors;
        return errorResponse(UnknownSid);
    }
    // A second WebSocket for a session that upgrades or has upgraded is accepted and then
    // closed at once, as the reference server does (handleWebSocket).
    return std::nullopt;
}

void EngineServer::handleWebSocket(QWebSocket *webSocket, const http::HttpRequest &request)
{
    const QString sid = request.queryValue(QStringLiteral("sid"));
    if (!sid.isEmpty()) {
        EngineSocket *socket = m_sockets.value(sid);
        // The session may have ended while the WebSocket handshake completed.
        if (!socket || !socket->isOpen() || socket->transport() != Transport::Polling
            || socket->isUpgrading()) {
            m_http->closeWebSocket(webSocket, QWebSocketProtocol::CloseCodePolicyViolated,
                                   QStringLiteral("Bad request"));
            return;
        }
        socket->attachProbe(webSocket);
        return;
    }
    EngineSocket *socket = createSocket(Transport::WebSocket, request);
    socket->attachWebSocket(webSocket);
    socket->sendOpenPacket({});
    Q_EMIT connection(socket);
}

EngineSocket *EngineServer::createSocket(Transport transport, const http::HttpRequest &request)
{
    Handshake handshake;
    handshake.remoteAddress = request.remoteAddress;
    handshake.remotePort = request.remotePort;
    handshake.query = request.query;
    handshake.headers = request.headers;
    handshake.time = QDateTime::currentDateTimeUtc();
    QString id = generateId();
    while (m_sockets.contains(id))
        id = generateId();
    auto *socket = new EngineSocket(this, id, transport, std::move(handshake));
    m_sockets.insert(id, socket);
    qCDebug(lcEngineIo) << "session" << id << "opened over" << transportName(transport) << "from"
                        << request.remoteAddress;
    return socket;
}

void EngineServer::removeSocket(EngineSocket *socket)
{
    m_sockets.remove(socket->id());
}

void EngineServer::scheduleHeartbeat(EngineSocket *socket, qint64 due)
{
    cancelHeartbeat(socket);
    // The tick handler re-arms the timer itself once its sessions have run.
    if (!m_heartbeatTimer.isActive() && !m_inHeartbeatTick) {
        const qint64 time = now();
        // Only an empty wheel may move on to now: slots not handled yet must never be
        // skipped (their sessions would wait a whole round).
        if (m_scheduled == 0)
            m_lastTick = time / m_tickMs;
        m_heartbeatTimer.start(int(qMax<qint64>(0, (m_lastTick + 1) * m_tickMs - time)));
    }
    // The slot of the first tick at or after `due`; its handling finds the session due.
    const qint64 tick = qMax((due + m_tickMs - 1) / m_tickMs, m_lastTick + 1);
    QList<EngineSocket *> &slot = m_wheel[size_t(tick % qint64(m_wheel.size()))];
    socket->m_heartbeatDue = due;
    socket->m_wheelSlot = int(tick % qint64(m_wheel.size()));
    socket->m_wheelIndex = int(slot.size());
    slot.append(socket);
    ++m_scheduled;
}

void EngineServer::cancelHeartbeat(EngineSocket *socket)
{
    if (socket->m_wheelSlot < 0)
        return;
    QList<EngineSocket *> &slot = m_wheel[size_t(socket->m_wheelSlot)];
    EngineSocket *last = slot.takeLast();
    if (last != socket) {
        slot[socket->m_wheelIndex] = last;
        last->m_wheelIndex = socket->m_wheelIndex;
    }
    socket->m_wheelSlot = -1;
    --m_scheduled;
}

void EngineServer::handleHeartbeatTick()
{
    const qint64 time = now();
    const qint64 current = time / m_tickMs;
    const qint64 slots = qint64(m_wheel.size());
    // Late by more than a round (a long stall): one pass over every slot catches up.
    const qint64 first = qMax(m_lastTick + 1, current - slots + 1);
    QList<QPointer<EngineSocket>> due;
    for (qint64 tick = first; tick <= current; ++tick) {
        m_lastTick = tick;
        QList<EngineSocket *> &slot = m_wheel[size_t(tick % slots)];
        for (qsizetype i = 0; i < slot.size();) {
            EngineSocket *socket = slot.at(i);
            if (socket->m_heartbeatDue > time) {
                ++i; // a later round
                continue;
            }
            cancelHeartbeat(socket); // moves the slot's last entry to i
            due.append(socket);
        }
    }
    m_lastTick = qMax(m_lastTick, current);
    // The handlers may take long (closed() of timed-out sessions): the slots after `current`
    // are not handled yet, however late it is when a session reschedules itself.
    m_inHeartbeatTick = true;
    for (const QPointer<EngineSocket> &socket : std::as_const(due)) {
        if (socket)
            socket->handleHeartbeat(time);
    }
    m_inHeartbeatTick = false;
    if (m_scheduled > 0 && !m_heartbeatTimer.isActive()) {
        const qint64 after = now();
        m_heartbeatTimer.start(int(qMax<qint64>(1, (after / m_tickMs + 1) * m_tickMs - after)));
    }
}

void EngineServer::closeAll(const QString &reason)
{
    const auto sockets = m_sockets.values();
    for (EngineSocket *socket : sockets)
        socket->close(reason);
}

QString EngineServer::generateId() const
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray bytes(reinterpret_cast<const char *>(words), 15);
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding));
}

} // namespace mmv::engineio
