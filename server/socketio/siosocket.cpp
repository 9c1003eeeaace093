#include "siosocket.h"

#include "sioclient.h"
#include "sionamespace.h"
#include "sioserver.h"

#include "server/core/logging.h"

namespace mmv::socketio {

void Ack::send(const Payload &payload) const
{
    if (!m_send || *m_sent)
        return;
    *m_sent = true;
    m_send(payload);
}

SioSocket::SioSocket(Namespace *nsp, SioClient *client, QString id, QJsonValue auth)
    : QObject(client)
    , m_nsp(nsp)
    , m_client(client)
    , m_id(std::move(id))
    , m_auth(auth.isObject() ? auth : QJsonValue(QJsonObject()))
    , m_connectedAt(QDateTime::currentDateTimeUtc())
{ }

SioSocket::~SioSocket()
{
    finish(QStringLiteral("transport close"));
}

const engineio::Handshake &SioSocket::handshake() const
{
    static const engineio::Handshake none;
    return m_client && m_client->engine() ? m_client->engine()->handshake() : none;
}

QString SioSocket::transport() const
{
    if (!m_client || !m_client->engine())
        return {};
    return engineio::transportName(m_client->engine()->transport());
}

void SioSocket::join(const QString &room)
{
    if (!m_connected || m_rooms.contains(room))
        return;
    m_rooms.append(room);
    m_nsp->addToRoom(this, room);
}

void SioSocket::leave(const QString &room)
{
    if (!m_rooms.removeOne(room))
        return;
    m_nsp->removeFromRoom(this, room);
}

void SioSocket::emitEvent(const QString &event, const Payload &payload, AckCallback callback,
                          int timeoutMs)
{
    if (!m_connected) {
        if (callback)
            callback(
                AppError{ ErrorCode::Unavailable, QStringLiteral("the socket is disconnected") });
        return;
    }
    Packet packet;
    packet.type = PacketType::Event;
    packet.nsp = m_nsp->name();
    QJsonArray args = payload.args;
    args.prepend(event);
    packet.data = args;
    packet.attachments = payload.attachments;
    if (callback) {
        const qint64 id = m_nextAckId++;
        packet.id = id;
        auto *timer = new QTimer(this);
        timer->setSingleShot(true);
        timer->setTimerType(Qt::PreciseTimer); // a coarse timer may fire up to 5 % early
        connect(timer, &QTimer::timeout, this, [this, id] {
            const PendingAck pending = m_pendingAcks.take(id);
            if (pending.timer)
                pending.timer->deleteLater();
            if (pending.callback)
                pending.callback(
                    AppError{ ErrorCode::Timeout, QStringLiteral("no ack within the timeout") });
        });
        timer->start(timeoutMs);
        m_pendingAcks.insert(id, PendingAck{ std::move(callback), timer });
    }
    send(packet);
}

void SioSocket::sendEncoded(const QList<engineio::PreparedPacket> &messages)
{
    if (!m_connected || !m_client)
        return;
    ++m_messagesOut;
    m_client->sendPrepared(messages);
}

void SioSocket::send(const Packet &packet)
{
    if (!m_connected || !m_client)
        return;
    ++m_messagesOut;
    m_client->send(packet, m_id);
}

void SioSocket::disconnectSocket(bool closeConnection)
{
    if (!m_connected)
        return;
    QPointer<SioClient> client = m_client;
    Packet packet;
    packet.type = PacketType::Disconnect;
    packet.nsp = m_nsp->name();
    send(packet);
    finish(QStringLiteral("server namespace disconnect"));
    if (closeConnection && client)
        client->close(QStringLiteral("forced server close"));
}

void SioSocket::handlePacket(const Packet &packet)
{
    ++m_messagesIn;
    switch (packet.type) {
    case PacketType::Event:
    case PacketType::BinaryEvent:
        handleEvent(packet);
        break;
    case PacketType::Ack:
    case PacketType::BinaryAck:
        handleAck(packet);
        break;
    case PacketType::Disconnect:
        finish(QStringLiteral("client namespace disconnect"));
        break;
    case PacketType::Connect:
    case PacketType::ConnectError:
        break; // handled by the client / never sent by clients
    }
}

void SioSocket::handleEvent(const Packet &packet)
{
    const QString name = eventName(packet);
    QJsonArray args = packet.data.toArray();
    args.removeFirst();
    Ack ack;
    if (packet.id) {
        const qint64 id = *packet.id;
        QPointer<SioSocket> self(this);
        ack = Ack([self, id](const Payload &reply) {
            if (!self)
                return;
            Packet answer;
            answer.type = PacketType::Ack;
            answer.nsp = self->m_nsp->name();
            answer.id = id;
            answer.data = reply.args;
            answer.attachments = reply.attachments;
            self->send(answer);
        });
    }
    m_nsp->dispatch(this, name, Payload{ args, packet.attachments }, ack);
}

void SioSocket::handleAck(const Packet &packet)
{
    const auto it = m_pendingAcks.find(packet.id.value_or(-1));
    if (it == m_pendingAcks.end()) {
        if (m_nsp)
            m_nsp->server()->countUnknownAck();
        return;
    }
    const PendingAck pending = *it;
    m_pendingAcks.erase(it);
    if (pending.timer)
        pending.timer->deleteLater();
    pending.callback(Payload{ packet.data.toArray(), packet.attachments });
}

void SioSocket::finish(const QString &reason)
{
    if (!m_connected)
        return;
    m_connected = false;
    const auto pending = std::exchange(m_pendingAcks, {});
    for (const PendingAck &ack : pending) {
        if (ack.timer)
            ack.timer->deleteLater();
        if (ack.callback)
            ack.callback(
                AppError{ ErrorCode::Unavailable, QStringLiteral("disconnected: ") + reason });
    }
    const auto rooms = std::exchange(m_rooms, {});
    if (m_nsp) {
        for (const QString &room : rooms)
            m_nsp->removeFromRoom(this, room);
        m_nsp->removeSocket(this, reason);
    }
    if (m_client)
        m_client->removeSocket(this);
    Q_EMIT disconnected(reason);
    deleteLater();
}

SocketInfo SioSocket::info(bool withHandshake) const
{
    SocketInfo info;
    info.id = m_id;
    info.nsp = m_nsp ? m_nsp->name() : QString();
    const engineio::EngineSocket *engine = m_client ? m_client->engine() : nullptr;
    if (engine) {
        info.engineId = engine->id();
        info.remoteAddress = engine->handshake().remoteAddress.toString();
        info.transport = engineio::transportName(engine->transport());
        info.userAgent = engine->handshake().userAgent();
        info.bytesIn = engine->bytesIn();
        info.bytesOut = engine->bytesOut();
        if (withHandshake) {
            const engineio::Handshake &handshake = engine->handshake();
            info.remotePort = handshake.remotePort;
            for (const auto &[name, value] : handshake.headers) {
                const bool secret = name.compare("authorization", Qt::CaseInsensitive) == 0
                    || name.compare("cookie", Qt::CaseInsensitive) == 0;
                info.headers.append({ QString::fromLatin1(name),
                                      secret ? QStringLiteral("…") : QString::fromLatin1(value) });
            }
            const auto items = handshake.query.queryItems(QUrl::FullyDecoded);
            for (const auto &[name, value] : items)
                info.query.append({ name, name == u"token" ? QStringLiteral("…") : value });
        }
    }
    info.name = m_data.value(QStringLiteral("name")).toString();
    info.role = m_data.value(QStringLiteral("role")).toString();
    info.rooms = m_rooms;
    info.rooms.sort();
    info.connectedAt = m_connectedAt;
    info.messagesIn = m_messagesIn;
    info.messagesOut = m_messagesOut;
    return info;
}

} // namespace mmv::socketio
