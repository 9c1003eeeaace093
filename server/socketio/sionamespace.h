#pragma once

#include "siotypes.h"

#include "server/engineio/enginesocket.h"

#include <QHash>
#include <QObject>
#include <QSet>

namespace mmv::socketio {

class SioServer;
class SioSocket;

/// A Socket.IO namespace: its middleware chain, event handlers, sockets and rooms, and the
/// broadcast operator. A broadcast is encoded once; the same bytes go to every recipient.
class Namespace : public QObject
{
    Q_OBJECT

public:
    Namespace(SioServer *server, QString name);

    QString name() const { return m_name; }
    SioServer *server() const { return m_server; }

    /// Adds a middleware; they run in order at each CONNECT, the first refusal wins.
    void use(Middleware middleware);
    /// Registers the handler of `event` (replacing any previous one).
    void on(const QString &event, EventHandler handler);
    /// Handles events that have no handler of their own.
    void onAny(AnyEventHandler handler);

    int socketCount() const { return int(m_sockets.size()); }
    SioSocket *socket(const QString &id) const { return m_sockets.value(id); }
    QList<SioSocket *> sockets() const { return m_sockets.values(); }
    /// Members of `room` (empty when there is no such room).
    QList<SioSocket *> members(const QString &room) const;
    int memberCount(const QString &room) const;
    QList<RoomInfo> rooms() const;

    /// Emits to the target; returns how many sockets it was sent to.
    int broadcast(const BroadcastTarget &target, const QString &event, const Payload &payload = {});

    // Used by SioSocket and SioClient.
    std::optional<ConnectError> runMiddleware(SioSocket *socket, const QJsonValue &auth);
    void addSocket(SioSocket *socket);
    void removeSocket(SioSocket *socket, const QString &reason);
    void addToRoom(SioSocket *socket, const QString &room);
    void removeFromRoom(SioSocket *socket, const QString &room);
    void dispatch(SioSocket *socket, const QString &event, const Payload &payload, const Ack &ack);

Q_SIGNALS:
    void connected(mmv::socketio::SioSocket *socket);
    void disconnected(mmv::socketio::SioSocket *socket, const QString &reason);
    void roomJoined(mmv::socketio::SioSocket *socket, const QString &room);
    void roomLeft(mmv::socketio::SioSocket *socket, const QString &room);

private:
    SioServer *m_server = nullptr;
    QString m_name;
    QList<Middleware> m_middleware;
    QHash<QString, EventHandler> m_handlers;
    AnyEventHandler m_anyHandler;
    QHash<QString, SioSocket *> m_sockets;
    QHash<QString, QSet<SioSocket *>> m_rooms;
};

} // namespace mmv::socketio
