#include "sionamespace.h"

#include "sioserver.h"
#include "siosocket.h"

#include "server/core/logging.h"

namespace mmv::socketio {

Namespace::Namespace(SioServer *server, QString name)
    : QObject(server)
    , m_server(server)
    , m_name(std::move(name))
{ }

void Namespace::use(Middleware middleware)
{
    m_middleware.append(std::move(middleware));
}

void Namespace::on(const QString &event, EventHandler handler)
{
    m_handlers.insert(event, std::move(handler));
}

void Namespace::onAny(AnyEventHandler handler)
{
    m_anyHandler = std::move(handler);
}

std::optional<ConnectError> Namespace::runMiddleware(SioSocket *socket, const QJsonValue &auth)
{
    for (const Middleware &middleware : std::as_const(m_middleware)) {
        try {
            if (auto error = middleware(socket, auth))
                return error;
        } catch (...) {
            qCWarning(lcSocketIo) << "middleware of" << m_name << "threw";
            return ConnectError{ QStringLiteral("internal error"), {} };
        }
    }
    return std::nullopt;
}

void Namespace::addSocket(SioSocket *socket)
{
    m_sockets.insert(socket->id(), socket);
    socket->join(socket->id());
    Q_EMIT connected(socket);
}

void Namespace::removeSocket(SioSocket *socket, const QString &reason)
{
    if (m_sockets.remove(socket->id()) == 0)
        return;
    Q_EMIT disconnected(socket, reason);
}

void Namespace::addToRoom(SioSocket *socket, const QString &room)
{
    m_rooms[room].insert(socket);
    Q_EMIT roomJoined(socket, room);
}

void Namespace::removeFromRoom(SioSocket *socket, const QString &room)
{
    const auto it = m_rooms.find(room);
    if (it == m_rooms.end() || !it->remove(socket))
        return;
    if (it->isEmpty())
        m_rooms.erase(it);
    Q_EMIT roomLeft(socket, room);
}

QList<SioSocket *> Namespace::members(const QString &room) const
{
    const auto it = m_rooms.constFind(room);
    return it == m_rooms.cend() ? QList<SioSocket *>() : it->values();
}

int Namespace::memberCount(const QString &room) const
{
    const auto it = m_rooms.constFind(room);
    return it == m_rooms.cend() ? 0 : int(it->size());
}

QList<RoomInfo> Namespace::rooms() const
{
    QList<RoomInfo> result;
    for (auto it = m_rooms.cbegin(); it != m_rooms.cend(); ++it) {
        if (m_sockets.contains(it.key()))
            continue; // the private room every socket has
        result.append(RoomInfo{ m_name, it.key(), int(it->size()) });
    }
    return result;
}

int Namespace::broadcast(const BroadcastTarget &target, const QString &event,
                         const Payload &payload)
{
    QSet<SioSocket *> recipients;
    if (target.rooms.isEmpty()) {
        for (SioSocket *socket : std::as_const(m_sockets))
            recipients.insert(socket);
    } else {
        for (const QString &room : target.rooms) {
            const auto it = m_rooms.constFind(room);
            if (it != m_rooms.cend())
                recipients.unite(*it);
        }
    }
    for (const QString &room : target.except) {
        const auto it = m_rooms.constFind(room);
        if (it != m_rooms.cend())
            recipients.subtract(*it);
    }
    if (recipients.isEmpty())
        return 0;

    // Encode once; every recipient gets the same prepared frames.
    Packet packet;
    packet.type = PacketType::Event;
    packet.nsp = m_name;
    QJsonArray args = payload.args;
    args.prepend(event);
    packet.data = args;
    packet.attachments = payload.attachments;
    const EncodedPacket encoded = encode(packet);
    QList<engineio::PreparedPacket> messages;
    messages.reserve(1 + encoded.attachments.size());
    messages.append(engineio::PreparedPacket::prepare(
        engineio::Packet{ engineio::PacketType::Message, encoded.text, false }));
    for (const QByteArray &attachment : encoded.attachments) {
        messages.append(engineio::PreparedPacket::prepare(
            engineio::Packet{ engineio::PacketType::Message, attachment, true }));
    }
    for (SioSocket *socket : std::as_const(recipients))
        socket->sendEncoded(messages);
    m_server->tap(PacketRecord::Direction::Out, QString(), packet, encoded.text.size(),
                  target.rooms, int(recipients.size()));
    return int(recipients.size());
}

void Namespace::dispatch(SioSocket *socket, const QString &event, const Payload &payload,
                         const Ack &ack)
{
    try {
        const auto it = m_handlers.constFind(event);
        if (it != m_handlers.cend())
            (*it)(socket, payload, ack);
        else if (m_anyHandler)
            m_anyHandler(socket, event, payload, ack);
    } catch (const std::exception &e) {
        qCWarning(lcSocketIo) << "handler of" << event << "threw:" << e.what();
    } catch (...) {
        qCWarning(lcSocketIo) << "handler of" << event << "threw";
    }
}

} // namespace mmv::socketio
