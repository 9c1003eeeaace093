#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringView>
#include <QVariant>

#include <optional>

// The Socket.IO v5 packet and its encoder, plus helpers between application values and
// the wire form of binary arguments. The decoder is in siodecoder.h.

namespace mmv::socketio {

/// Socket.IO packet types; the value is the digit on the wire.
enum class PacketType { Connect = 0, Disconnect, Event, Ack, ConnectError, BinaryEvent, BinaryAck };

/// One Socket.IO packet in its wire form.
///
/// `data` is the JSON payload; Undefined means none. Event and Ack carry an array (an event's
/// first element is its name), Connect an optional object (the auth data, or the sid in the
/// server's answer), ConnectError an object or a string, Disconnect nothing.
/// A binary argument is the placeholder object {"_placeholder":true,"num":N} in `data` and
/// its bytes in `attachments[N]`. The decoder keeps BinaryEvent/BinaryAck; the encoder
/// chooses Event or BinaryEvent (Ack or BinaryAck) from whether `attachments` is empty, so
/// either type may be used to build a packet.
struct Packet
{
    PacketType type = PacketType::Event;
    QString nsp = QStringLiteral("/");
    std::optional<qint64> id;
    QJsonValue data = QJsonValue(QJsonValue::Undefined);
    QList<QByteArray> attachments;

    friend bool operator==(const Packet &, const Packet &) = default;
};

/// Whether the packet is an Event or a BinaryEvent.
inline bool isEvent(const Packet &packet)
{
    return packet.type == PacketType::Event || packet.type == PacketType::BinaryEvent;
}

/// Whether the packet is an Ack or a BinaryAck.
inline bool isAck(const Packet &packet)
{
    return packet.type == PacketType::Ack || packet.type == PacketType::BinaryAck;
}

/// The Engine.IO messages of one Socket.IO packet: the text message first, then one binary
/// message per attachment.
struct EncodedPacket
{
    QByteArray text;
    QList<QByteArray> attachments;
};

/// Encodes a packet: type digit, "<n>-" for binary types, the namespace and a comma unless it
/// is "/", the ack id, then compact JSON unless `data` is Undefined or Null; e.g.
/// `51-/admin,12["ev",{"_placeholder":true,"num":0}]` (which Engine.IO sends as the message
/// `451-/admin,...`). Attachments of packets other than
/// Event/Ack are ignored. A namespace must not contain ',' and an id must be >= 0, or the
/// text will not decode. The result shares the attachments' buffers: encode a broadcast once.
EncodedPacket encode(const Packet &packet);

/// The lowercase protocol name of a type ("event", "binary_ack"...), for logs.
QLatin1StringView packetTypeName(PacketType type);

/// Whether `name` is reserved and may be neither received nor emitted as an event
/// (connect, connect_error, disconnect, disconnecting, newListener, removeListener).
bool isReservedEventName(QStringView name);

/// The placeholder that stands for attachment `index` in `data`.
QJsonObject placeholder(qsizetype index);

/// If `value` is a placeholder object ("_placeholder" exactly true), the index it holds when
/// that is an integer >= 0, else -1; std::nullopt when `value` is no placeholder at all.
std::optional<qsizetype> placeholderIndex(const QJsonValue &value);

/// Appends `bytes` to the packet's attachments and returns the placeholder to put in `data`.
QJsonObject attach(Packet &packet, QByteArray bytes);

/// Converts an application value to its wire JSON. Every QByteArray, also inside a
/// QVariantList, QVariantMap or QVariantHash, is appended to `attachments` and replaced by
/// its placeholder; everything else converts as QJsonValue::fromVariant does.
QJsonValue toWireValue(const QVariant &value, QList<QByteArray> &attachments);

/// The inverse of toWireValue: placeholders become their QByteArray, objects QVariantMap,
/// arrays QVariantList, numbers qlonglong or double. std::nullopt if a placeholder
/// references no attachment.
std::optional<QVariant> fromWireValue(const QJsonValue &value,
                                      const QList<QByteArray> &attachments);

/// Builds an event `[name, args...]` for namespace `nsp`, asking for an ack when `ackId` is
/// set; QByteArray arguments (also nested) become attachments.
Packet makeEvent(const QString &name, const QVariantList &args = {},
                 const QString &nsp = QStringLiteral("/"), std::optional<qint64> ackId = {});

/// Builds the ack answering `id` with `args`; QByteArray arguments become attachments.
Packet makeAck(qint64 id, const QVariantList &args = {}, const QString &nsp = QStringLiteral("/"));

/// The name of an event packet: its first element, a number in decimal form. A null
/// QString for other packets or a malformed event.
QString eventName(const Packet &packet);

/// The arguments of an event (after its name) or an ack, with binary arguments as
/// QByteArray. std::nullopt for other packets, a payload that is no array, or a placeholder
/// that references no attachment.
std::optional<QVariantList> arguments(const Packet &packet);

} // namespace mmv::socketio
