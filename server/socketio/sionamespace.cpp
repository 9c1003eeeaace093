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

// A socket's own room (named after its id) is not stored: m_sockets already maps the id to
// its only member, and a one-member QSet per socket costs more than a kilobyte.
static bool isOwnRoom(const SioSocket *socket, const QString &room)
{
    return room == socket->id();
}

void Namespace::addToRoom(SioSocket *socket, const QString &room)
{
    if (!isOwnRoom(socket, room))
        m_rooms[room].insert(socket);
    Q_EMIT roomJoined(socket, room);
}

void Namespace::removeFromRoom(SioSocket *socket, const QString &room)
{
    if (!isOwnRoom(socket, room)) {
        const auto it = m_rooms.find(room);
        if (it == m_rooms.end() || !it->remove(socket))
            return;
        if (it->isEmpty())
            m_rooms.erase(it);
    } else if (!m_sockets.contains(room)) {
        return;
    }
    Q_EMIT roomLeft(socket, room);
}

QList<SioSocket *> Namespace::members(const QString &room) const
{
    const auto it = m_rooms.constFind(room);
    if (it != m_rooms.cend())
        return it->values();
    if (SioSocket *socket = m_sockets.value(room))
        return { socket };
    return {};
}

int Namespace::memberCount(const QString &room) const
{
    const auto it = m_rooms.constFind(room);
    if (it != m_rooms.cend())
        return int(it->size());
    return m_sockets.contains(room) ? 1 : 0;
}

QList<RoomInfo> Namespace::rooms() const
{
    QList<RoomInfo> result;
    for (auto it = m_rooms.cbegin(); it != m_rooms.cend(); ++it)
        result.append(RoomInfo{ m_name, it.key(), int(it->size()) });
    return result;
}

int Namespace::broadcast(const BroadcastTarget &target, const QString &event,
                         const Payload &payload)
{
    // The common cases iterate a set that exists (shared, so a socket leaving during the loop
    // detaches the namespace's copy, not this one); the rest builds the union.
    QSet<SioSocket *> recipients;
    QList<SioSocket *> everyone;
    const QSet<SioSocket *> *room = nullptr;
    const bool all = target.rooms.isEmpty() && target.except.isEmpty();
    if (all) {
        everyone = m_sockets.values();
    } else if (target.rooms.size() == 1 && target.except.isEmpty()
               && !m_sockets.contains(target.rooms.first())) {
        const auto it = m_rooms.constFind(target.rooms.first());
        if (it != m_rooms.cend())
            recipients = *it;
        room = &recipients;
    } else {
        const auto addRoom = [this, &recipients](const QString &name) {
            const auto it = m_rooms.constFind(name);
            if (it != m_rooms.cend())
                recipients.unite(*it);
            SioSocket *own = m_sockets.value(name);
            if (own && own->rooms().contains(name))
                recipients.insert(own);
        };
        if (target.rooms.isEmpty()) {
            for (SioSocket *socket : std::as_const(m_sockets))
                recipients.insert(socket);
        } else {
            for (const QString &name : target.rooms)
                addRoom(name);
        }
        QSet<SioSocket *> excluded;
        for (const QString &name : target.except) {
            const auto it = m_rooms.constFind(name);
            if (it != m_rooms.cend())
                excluded.unite(*it);
            SioSocket *own = m_sockets.value(name);
            if (own && own->rooms().contains(name))
                excluded.insert(own);
        }
        recipients.subtract(excluded);
        room = &recipients;
    }
    const int count = all ? int(everyone.size()) : int(room->size());
    if (count == 0)
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
    if (all) {
        for (SioSocket *socket : std::as_const(everyone))
            socket->sendEncoded(messages);
    } else {
        for (SioSocket *socket : *room)
            socket->sendEncoded(messages);
    }
    m_server->tap(PacketRecord::Direction::Out, QString(), packet, encoded.text.size(),
                  target.rooms, count);
    return count;
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
