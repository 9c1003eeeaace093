#include "enginesocket.h"

#include "engineserver.h"

#include "server/core/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocket>

namespace mmv::engineio {

QString transportName(Transport transport)
{
    return transport == Transport::Polling ? QStringLiteral("polling")
                                           : QStringLiteral("websocket");
}

QString Handshake::userAgent() const
{
    for (const auto &[name, value] : headers) {
        if (name == "user-agent")
            return QString::fromUtf8(value);
    }
    return {};
}

PreparedPacket PreparedPacket::prepare(Packet packet)
{
    PreparedPacket prepared;
    if (packet.binary) {
        prepared.pollingRecord = 'b' + packet.data.toBase64();
    } else {
        prepared.pollingRecord = encodeWebSocketFrame(packet);
        prepared.webSocketText = QString::fromUtf8(prepared.pollingRecord);
    }
    prepared.packet = std::move(packet);
    return prepared;
}

EngineSocket::EngineSocket(EngineServer *server, QString id, Transport transport,
                           Handshake handshake)
    : QObject(server)
    , m_server(server)
    , m_id(std::move(id))
    , m_transport(transport)
    , m_handshake(std::move(handshake))
{
    m_pingTimer.setSingleShot(true);
    m_pingTimer.setTimerType(Qt::PreciseTimer); // clients rely on pingInterval + pingTimeout
    connect(&m_pingTimer, &QTimer::timeout, this, &EngineSocket::handlePingTimer);
    m_upgradeTimer.setSingleShot(true);
    connect(&m_upgradeTimer, &QTimer::timeout, this, [this] {
        qCDebug(lcEngineIo) << "session" << m_id << "upgrade timed out";
        dropProbe();
    });
    schedulePing();
}

EngineSocket::~EngineSocket()
{
    if (m_poll.isPending())
        m_poll.send(http::HttpResponse::noContent(200));
}

void EngineSocket::sendOpenPacket(const QStringList &upgrades)
{
    const EngineConfig &config = m_server->config();
    const QJsonObject open{
        { QStringLiteral("sid"), m_id },
        { QStringLiteral("upgrades"), QJsonArray::fromStringList(upgrades) },
        { QStringLiteral("pingInterval"), config.pingIntervalMs },
        { QStringLiteral("pingTimeout"), config.pingTimeoutMs },
        { QStringLiteral("maxPayload"), double(config.maxPayload) },
    };
    enqueue(PreparedPacket::prepare(
        Packet{ PacketType::Open, QJsonDocument(open).toJson(QJsonDocument::Compact), false }));
}

void EngineSocket::send(const Packet &packet)
{
    send(PreparedPacket::prepare(packet));
}

void EngineSocket::send(const PreparedPacket &packet)
{
    if (m_state != State::Open)
        return;
    ++m_messagesOut;
    enqueue(packet);
}

void EngineSocket::enqueue(const PreparedPacket &packet)
{
    if (m_state != State::Open)
        return;
    if (m_transport == Transport::WebSocket && m_webSocket) {
        sendOnWebSocket(m_webSocket, packet);
        return;
    }
    m_buffer.append(packet);
    m_bufferedBytes += packet.pollingRecord.size();
    if (m_bufferedBytes > m_server->config().maxBufferedBytes) {
        qCWarning(lcEngineIo) << "session" << m_id << "from" << m_handshake.remoteAddress
                              << "does not read its messages; dropping it";
        finish(QStringLiteral("transport error"), true);
        return;
    }
    scheduleFlush();
}

void EngineSocket::scheduleFlush()
{
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    // Everything sent during this event-loop turn goes out in one response.
    QMetaObject::invokeMethod(this, &EngineSocket::flush, Qt::QueuedConnection);
}

void EngineSocket::flush()
{
    m_flushScheduled = false;
    if (m_transport != Transport::Polling || !m_poll.isPending() || m_buffer.isEmpty())
        return;
    QByteArray body;
    body.reserve(m_bufferedBytes + m_buffer.size());
    for (qsizetype i = 0; i < m_buffer.size(); ++i) {
        if (i > 0)
            body += RecordSeparator;
        body += m_buffer.at(i).pollingRecord;
    }
    m_buffer.clear();
    m_bufferedBytes = 0;
    answerPoll(body);
}

void EngineSocket::answerPoll(const QByteArray &body)
{
    if (!m_poll.isPending())
        return;
    http::HttpResponse response;
    response.body = body;
    response.setHeader("Content-Type", "text/plain; charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    m_bytesOut += body.size();
    http::HttpResponder poll = std::move(m_poll);
    m_poll = {};
    poll.send(std::move(response));
}

void EngineSocket::sendOnWebSocket(QWebSocket *socket, const PreparedPacket &packet)
{
    if (socket->bytesToWrite() > m_server->config().maxBufferedBytes) {
        // The client does not read: drop it instead of buffering without bound. Deferred,
        // because this may run inside a broadcast loop over every socket.
        if (m_state == State::Open) {
            qCWarning(lcEngineIo) << "session" << m_id << "from" << m_handshake.remoteAddress
                                  << "does not read its messages; dropping it";
            m_state = State::Closing;
            QMetaObject::invokeMethod(
                this,
                [this] {
                    m_state = State::Open;
                    finish(QStringLiteral("transport error"), false);
                },
                Qt::QueuedConnection);
        }
        return;
    }
    if (packet.packet.binary) {
        m_bytesOut += socket->sendBinaryMessage(packet.packet.data);
    } else {
        m_bytesOut += socket->sendTextMessage(packet.webSocketText);
    }
}

void EngineSocket::handlePoll(http::HttpResponder responder)
{
    if (m_state == State::Draining && !m_poll.isPending()) {
        m_poll = std::move(responder);
        if (!m_buffer.isEmpty()) {
            flush(); // the last packets; the close packet follows on the next poll
            return;
        }
        answerPoll(PreparedPacket::prepare(Packet{ PacketType::Close, {}, false }).pollingRecord);
        release();
        return;
    }
    if (m_state != State::Open) {
        responder.send(EngineServer::errorResponse(EngineServer::UnknownSid));
        return;
    }
    if (m_poll.isPending()) {
        // Two GETs at once: the protocol forbids it; the session ends (the first poll
        // receives the close packet).
        m_server->countProtocolError();
        responder.send(EngineServer::errorResponse(EngineServer::BadRequest));
        qCInfo(lcEngineIo) << "session" << m_id << "sent overlapping polls; closing it";
        finish(QStringLiteral("transport error"), true);
        return;
    }
    m_poll = std::move(responder);
    QPointer<EngineSocket> self(this);
    m_poll.setAbortHandler([self] {
        if (self)
            self->m_poll = {};
    });
    if (!m_buffer.isEmpty()) {
        flush();
    } else if (m_probe) {
        answerPoll(QByteArray(1, '6')); // let the client finish the poll and upgrade
    }
}

void EngineSocket::handlePost(const QByteArray &body, http::HttpResponder responder)
{
    if (m_state != State::Open) {
        responder.send(EngineServer::errorResponse(EngineServer::BadRequest));
        return;
    }
    m_bytesIn += body.size();
    auto packets = decodePayload(body);
    if (!packets) {
        m_server->countProtocolError();
        qCInfo(lcEngineIo) << "session" << m_id
                           << "sent an invalid payload:" << packets.error().message;
        responder.send(EngineServer::errorResponse(EngineServer::BadRequest));
        finish(QStringLiteral("parse error"), true);
        return;
    }
    // Answer first: handlers of the packets may close the session.
    http::HttpResponse ok;
    ok.body = "ok";
    ok.setHeader("Content-Type", "text/html");
    responder.send(std::move(ok));
    QPointer<EngineSocket> self(this);
    for (const Packet &packet : std::as_const(packets.value())) {
        if (!self || m_state != State::Open)
            break;
        handlePacket(packet);
    }
}

void EngineSocket::handlePacket(const Packet &packet)
{
    switch (packet.type) {
    case PacketType::Message:
        ++m_messagesIn;
        Q_EMIT messageReceived(packet);
        break;
    case PacketType::Pong:
        if (m_awaitingPong)
            schedulePing();
        break;
    case PacketType::Ping:
        enqueue(PreparedPacket::prepare(Packet{ PacketType::Pong, packet.data, false }));
        break;
    case PacketType::Close:
        // The client leaves: end a held poll cleanly, no close packet back.
        answerPoll(QByteArray(1, '6'));
        finish(QStringLiteral("transport close"), false);
        break;
    case PacketType::Noop:
        break;
    case PacketType::Open:
    case PacketType::Upgrade:
        m_server->countProtocolError();
        finish(QStringLiteral("parse error"), true);
        break;
    }
}

void EngineSocket::schedulePing()
{
    m_awaitingPong = false;
    m_pingTimer.start(m_server->config().pingIntervalMs);
}

void EngineSocket::handlePingTimer()
{
    if (m_awaitingPong) {
        qCDebug(lcEngineIo) << "session" << m_id << "ping timeout";
        finish(QStringLiteral("ping timeout"), true);
        return;
    }
    m_awaitingPong = true;
    m_pingTimer.start(m_server->config().pingTimeoutMs);
    enqueue(PreparedPacket::prepare(Packet{ PacketType::Ping, {}, false }));
}

void EngineSocket::attachWebSocket(QWebSocket *socket)
{
    m_webSocket = socket;
    socket->setParent(this);
    socket->setMaxAllowedIncomingMessageSize(quint64(m_server->config().maxPayload));
    connect(socket, &QWebSocket::textMessageReceived, this, &EngineSocket::handleWebSocketText);
    connect(socket, &QWebSocket::binaryMessageReceived, this, &EngineSocket::handleWebSocketBinary);
    connect(socket, &QWebSocket::disconnected, this,
            [this] { finish(QStringLiteral("transport close"), false); });
}

void EngineSocket::handleWebSocketText(const QString &text)
{
    QByteArray frame = text.toUtf8();
    m_bytesIn += frame.size();
    auto packet = decodeTextFrame(std::move(frame));
    if (!packet) {
        m_server->countProtocolError();
        qCInfo(lcEngineIo) << "session" << m_id
                           << "sent an invalid frame:" << packet.error().message;
        finish(QStringLiteral("parse error"), false);
        return;
    }
    handlePacket(packet.value());
}

void EngineSocket::handleWebSocketBinary(const QByteArray &data)
{
    m_bytesIn += data.size();
    handlePacket(decodeBinaryFrame(data));
}

void EngineSocket::attachProbe(QWebSocket *socket)
{
    m_probe = socket;
    socket->setParent(this);
    socket->setMaxAllowedIncomingMessageSize(quint64(m_server->config().maxPayload));
    connect(socket, &QWebSocket::textMessageReceived, this, &EngineSocket::handleProbeText);
    connect(socket, &QWebSocket::disconnected, this, &EngineSocket::dropProbe);
    m_upgradeTimer.start(m_server->config().upgradeTimeoutMs);
}

void EngineSocket::handleProbeText(const QString &text)
{
    if (text == u"2probe") {
        m_probe->sendTextMessage(QStringLiteral("3probe"));
        if (m_buffer.isEmpty())
            answerPoll(QByteArray(1, '6'));
    } else if (text == u"5") {
        completeUpgrade();
    } else {
        m_server->countProtocolError();
        qCInfo(lcEngineIo) << "session" << m_id << "sent an invalid upgrade packet";
        dropProbe();
    }
}

void EngineSocket::completeUpgrade()
{
    m_upgradeTimer.stop();
    QWebSocket *socket = m_probe;
    m_probe = nullptr;
    socket->disconnect(this);
    m_transport = Transport::WebSocket;
    answerPoll(QByteArray(1, '6'));
    attachWebSocket(socket);
    const QList<PreparedPacket> pending = std::move(m_buffer);
    m_buffer.clear();
    m_bufferedBytes = 0;
    for (const PreparedPacket &packet : pending)
        sendOnWebSocket(socket, packet);
    qCDebug(lcEngineIo) << "session" << m_id << "upgraded to websocket";
    Q_EMIT transportUpgraded(m_transport);
}

void EngineSocket::dropProbe()
{
    m_upgradeTimer.stop();
    if (!m_probe)
        return;
    QWebSocket *probe = m_probe;
    m_probe = nullptr;
    probe->disconnect(this);
    probe->close();
    probe->deleteLater();
}

void EngineSocket::close(const QString &reason)
{
    finish(reason, true, true);
}

void EngineSocket::finish(const QString &reason, bool notifyClient, bool drain)
{
    if (m_state != State::Open)
        return;
    m_state = State::Closed;
    m_pingTimer.stop();
    dropProbe();
    bool keepForDrain = false;
    if (m_transport == Transport::Polling) {
        if (!notifyClient) {
            m_buffer.clear();
            answerPoll(QByteArray(1, '6'));
        } else if (drain && (!m_buffer.isEmpty() || !m_poll.isPending())) {
            // The last packets go out first, the close packet on a later poll: clients
            // handle a close packet before the messages of the same payload.
            flush();
            keepForDrain = true;
        } else {
            m_buffer.clear();
            answerPoll(
                PreparedPacket::prepare(Packet{ PacketType::Close, {}, false }).pollingRecord);
        }
    } else if (m_webSocket) {
        m_webSocket->disconnect(this);
        m_webSocket->close(); // queued frames go out before the close frame
    }
    qCDebug(lcEngineIo) << "session" << m_id << "closed:" << reason;
    if (keepForDrain) {
        m_state = State::Draining;
        m_drainTimer.setSingleShot(true);
        connect(&m_drainTimer, &QTimer::timeout, this, &EngineSocket::release);
        m_drainTimer.start(m_server->config().pingTimeoutMs);
    }
    Q_EMIT closed(reason);
    if (!keepForDrain)
        release();
}

void EngineSocket::release()
{
    m_state = State::Closed;
    m_drainTimer.stop();
    m_buffer.clear();
    m_bufferedBytes = 0;
    m_server->removeSocket(this);
    deleteLater();
}

} // namespace mmv::engineio
