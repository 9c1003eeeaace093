#pragma once

#include "server/core/apperror.h"
#include "server/core/realtimetypes.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonValue>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <functional>

namespace mmv::socketio {

class SioSocket;

using SocketInfo = ConnectionInfo;
using PacketRecord = EventRecord;
using mmv::RoomInfo;

/// The arguments of an event or an ack in wire form: JSON values where binary arguments are
/// placeholders {"_placeholder":true,"num":N}, and the bytes in `attachments`.
struct Payload
{
    QJsonArray args;
    QList<QByteArray> attachments;
};

/// Answers an event's ack, once; does nothing when the client asked for none.
class Ack
{
public:
    Ack() = default;
    explicit Ack(std::function<void(const Payload &)> send)
        : m_send(std::move(send))
    { }

    bool isRequested() const { return bool(m_send); }
    void send(const Payload &payload) const;
    void send(const QJsonArray &args) const { send(Payload{ args, {} }); }

private:
    std::function<void(const Payload &)> m_send;
    std::shared_ptr<bool> m_sent = std::make_shared<bool>(false);
};

/// Receives the client's answer to an emit with ack, or an error (timeout, disconnected).
using AckCallback = std::function<void(const Result<Payload> &reply)>;

/// Handles one event from a client.
using EventHandler = std::function<void(SioSocket *socket, const Payload &payload, const Ack &ack)>;

/// Handles events that have no handler of their own.
using AnyEventHandler = std::function<void(SioSocket *socket, const QString &event,
                                           const Payload &payload, const Ack &ack)>;

/// Why a CONNECT was refused: sent as CONNECT_ERROR {message, data?}.
struct ConnectError
{
    QString message;
    QJsonValue data = QJsonValue(QJsonValue::Undefined);
};

/// Checks a socket before it joins a namespace; may attach data to it. Returning an error
/// refuses the connection.
using Middleware
    = std::function<std::optional<ConnectError>(SioSocket *socket, const QJsonValue &auth)>;

/// Which sockets an emission reaches: everybody in the namespace when `rooms` is empty,
/// else the members of any of `rooms`; minus the members of any of `except`.
struct BroadcastTarget
{
    QStringList rooms;
    QStringList except;
};

} // namespace mmv::socketio
