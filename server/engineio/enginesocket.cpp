#include "enginesocket.h"

#include "engineserver.h"

#include "server/core/logging.h"
#include "server/http/socketbuffers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimerEvent>
#include <QWebSocket>

namespace mmv::engineio {

QString transportName(Transport transport)
{
    return transport == Transport::Polling ? QStringLiteral("polling")
                                           : QStringLiteral("websocket");
}

CompactHeaders::CompactHeaders(const http::HeaderList &headers)
{
    *this = headers;
}

CompactHeaders &CompactHeaders::operator=(const http::HeaderList &headers)
{
    qsizetype size = 0;
    for (const auto &[name, value] : headers)
        size += name.size() + value.size() + 2;
    QByteArray data;
    data.reserve(size);
    for (const auto &[name, value] : headers) {
        data += name;
        data += '\0';
        data += value;
        data += '\0';
    }
    m_data = std::move(data);
    return *this;
}

QPair<QByteArray, QByteArray> CompactHeaders::const_iterator::operator*() const
{
    const qsizetype nameEnd = m_data->indexOf('\0', m_pos);
    const qsizetype valueEnd = m_data->indexOf('\0', nameEnd + 1);
    return { QByteArray::fromRawData(m_data->constData() + m_pos, nameEnd - m_pos),
             QByteArray::fromRawData(m_data->constData() + nameEnd + 1, valueEnd - nameEnd - 1) };
}

CompactHeaders::const_iterator &CompactHeaders::const_iterator::operator++()
{
    m_pos = m_data->indexOf('\0', m_data->indexOf('\0', m_pos) + 1) + 1;
    return *this;
}

QByteArray CompactHeaders::value(QByteArrayView name) const
{
    for (const auto &[key, value] : *this) {
        if (key == name)
            return QByteArray(value.constData(), value.size()); // a copy: the view dies here
    }
    return {};
}

http::HeaderList CompactHeaders::toList() const
{
    http::HeaderList list;
    for (const auto &[name, value] : *this)
        list.append({ QByteArray(name.constData(), name.size()),
                      QByteArray(value.constData(), value.size()) });
    return list;
}

qsizetype CompactHeaders::size() const
{
    return m_data.count('\0') / 2;
}

QString Handshake::userAgent() const
{
    return QString::fromUtf8(headers.value("user-agent"));
}

namespace {

/// An unmasked, unfragmented WebSocket frame (RFC 6455, 5.2) as a server sends it.
QByteArray buildWebSocketFrame(bool binary, QByteArrayView payload)
{
    const quint64 size = quint64(payload.size());
    QByteArray frame;
    frame.reserve(payload.size() + 10);
    frame.append(char(0x80 | (binary ? 0x2 : 0x1))); // FIN + opcode
    if (size < 126) {
        frame.append(char(size));
    } else if (size <= 0xFFFF) {
        frame.append(char(126));
        frame.append(char(size >> 8));
        frame.append(char(size & 0xFF));
    } else {
        frame.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((size >> shift) & 0xFF));
    }
    frame.append(payload);
    return frame;
}

/// How many sends between two checks of a WebSocket's unsent backlog (the check costs more
/// than the send itself in a broadcast loop; the limit is tens of megabytes anyway).
constexpr int BacklogCheckInterval = 16;

} // namespace

PreparedPacket PreparedPacket::prepare(Packet packet)
{
    PreparedPacket prepared;
    if (packet.binary) {
        prepared.pollingRecord = 'b' + packet.data.toBase64();
        prepared.webSocketFrame = buildWebSocketFrame(true, packet.data);
    } else {
        prepared.pollingRecord = encodeWebSocketFrame(packet);
        prepared.webSocketFrame = buildWebSocketFrame(false, prepared.pollingRecord);
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
    schedulePing();
}

EngineSocket::~EngineSocket()
{
    if (m_wheelSlot >= 0) // not when the server itself goes (it has forgotten the wheel)
        m_server->cancelHeartbeat(this);
    if (m_poll.isPending())
        m_poll.send(http::HttpResponse::noContent(200));
}

void EngineSocket::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_upgradeTimerId) {
        qCDebug(lcEngineIo) << "session" << m_id << "upgrade timed out";
        dropProbe();
    } else if (event->timerId() == m_drainTimerId) {
        release();
    } else {
        QObject::timerEvent(event);
    }
}

void EngineSocket::stopTimer(int &timerId)
{
    if (timerId != 0)
        killTimer(std::exchange(timerId, 0));
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
    QTcpSocket *tcp = socket == m_webSocket ? m_tcpSocket : nullptr;
    const bool check = ++m_sendsSinceBacklogCheck >= BacklogCheckInterval
        || packet.webSocketFrame.size() > 65536;
    if (check)
        m_sendsSinceBacklogCheck = 0;
    if (check
        && (tcp ? tcp->bytesToWrite() : socket->bytesToWrite())
            > m_server->config().maxBufferedBytes) {
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
    if (tcp) {
        // After the client's close frame QWebSocket has answered and closed the device; the
        // session ends once the socket has flushed and disconnected: nothing more goes out.
        if (!tcp->isOpen() || tcp->state() != QAbstractSocket::ConnectedState)
            return;
        // QWebSocket's own writes (pongs to its pings, the close frame) are whole frames made
        // in one go on this thread too, so frames never interleave.
        tcp->write(packet.webSocketFrame);
        m_bytesOut += packet.webSocketFrame.size();
    } else if (packet.packet.binary) {
        m_bytesOut += socket->sendBinaryMessage(packet.packet.data);
    } else {
        m_bytesOut += socket->sendTextMessage(QString::fromUtf8(packet.pollingRecord));
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
        if (m_handler)
            m_handler->handleMessage(packet);
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
    // As the reference server: the next ping pingInterval after the pong.
    m_awaitingPong = false;
    m_server->scheduleHeartbeat(this, m_server->now() + m_server->config().pingIntervalMs);
}

void EngineSocket::handleHeartbeat(qint64 now)
{
    if (m_state != State::Open)
        return;
    if (m_awaitingPong) {
        qCDebug(lcEngineIo) << "session" << m_id << "ping timeout";
        finish(QStringLiteral("ping timeout"), true);
        return;
    }
    m_awaitingPong = true;
    // The pong deadline counts from when the ping was due, so that the tick's lateness is not
    // added twice: the client has pingTimeout, the session ends at most one tick after
    // pingInterval + pingTimeout. A long stall of the loop is not held against the client.
    const qint64 late = qMin(now - m_heartbeatDue, m_server->heartbeatTickMs());
    m_server->scheduleHeartbeat(this, now - late + m_server->config().pingTimeoutMs);
    enqueue(PreparedPacket::prepare(Packet{ PacketType::Ping, {}, false }));
}

void EngineSocket::attachWebSocket(QWebSocket *socket)
{
    m_webSocket = socket;
    // The HTTP front hands the TCP socket to the QWebSocket as its child (HttpServer).
    m_tcpSocket = socket->findChild<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly);
    if (m_tcpSocket) {
        // Most sessions are idle most of the time: hold no write buffer between messages.
        QTcpSocket *tcp = m_tcpSocket;
        connect(tcp, &QIODevice::bytesWritten, this, [tcp] { http::releaseIdleWriteBuffer(tcp); });
    }
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
    stopTimer(m_upgradeTimerId);
    m_upgradeTimerId = startTimer(m_server->config().upgradeTimeoutMs);
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
    stopTimer(m_upgradeTimerId);
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
    stopTimer(m_upgradeTimerId);
    if (!m_probe)
        return;
    QWebSocket *probe = m_probe;
    m_probe = nullptr;
    probe->disconnect(this);
    m_server->http()->closeWebSocket(probe);
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
    m_server->cancelHeartbeat(this);
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
        QWebSocket *webSocket = m_webSocket;
        m_webSocket = nullptr;
        webSocket->disconnect(this);
        if (m_tcpSocket)
            m_tcpSocket->disconnect(this);
        m_tcpSocket = nullptr;
        // Queued frames go out before the close frame; the HTTP front keeps the socket until
        // they have (deleting it with this session would abort them).
        m_server->http()->closeWebSocket(webSocket);
    }
    qCDebug(lcEngineIo) << "session" << m_id << "closed:" << reason;
    if (keepForDrain) {
        m_state = State::Draining;
        m_drainTimerId = startTimer(m_server->config().pingTimeoutMs);
    }
    if (m_handler)
        m_handler->handleSessionClosed(reason);
    Q_EMIT closed(reason);
    if (!keepForDrain)
        release();
}

void EngineSocket::release()
{
    m_state = State::Closed;
    stopTimer(m_drainTimerId);
    m_buffer.clear();
    m_bufferedBytes = 0;
    m_server->removeSocket(this);
    deleteLater();
}

} // namespace mmv::engineio
