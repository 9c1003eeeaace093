#pragma once

#include "server/core/apperror.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>
#include <QList>

#include <limits>

// The Engine.IO v4 packet codec: pure functions from packets to WebSocket frames and
// HTTP long-polling bodies and back. No sockets, no state.

namespace mmv::engineio {

/// Engine.IO packet types; the value is the digit on the wire.
enum class PacketType { Open = 0, Close, Ping, Pong, Message, Upgrade, Noop };

/// One Engine.IO packet. `data` holds UTF-8 text, or raw bytes when `binary` is set; a
/// binary packet is always a Message (the protocol has no other binary type).
struct Packet
{
    PacketType type = PacketType::Message;
    QByteArray data;
    bool binary = false;

    friend bool operator==(const Packet &, const Packet &) = default;
};

/// Separates the packets of a polling payload (ASCII record separator).
inline constexpr char RecordSeparator = '\x1e';

/// No limit on the number of packets in a polling payload (the body size limit applies).
inline constexpr qsizetype NoPacketLimit = std::numeric_limits<qsizetype>::max();

/// The lowercase protocol name of a type ("open", "message"...), for logs.
QLatin1StringView packetTypeName(PacketType type);

/// Encodes a packet as the payload of one WebSocket frame: for a text packet the type
/// digit followed by the data (send as a text frame), for a binary packet the raw bytes
/// (send as a binary frame; the Message type is implied). Encode once, send to many.
QByteArray encodeWebSocketFrame(const Packet &packet);

/// Decodes the UTF-8 payload of a WebSocket text frame: a type digit and the data, or
/// "b" and base64 (the form of clients that cannot send binary frames). Fails on an empty
/// frame, an unknown type, invalid UTF-8 or invalid base64. Pass the frame by move to
/// avoid copying the data.
Result<Packet> decodeTextFrame(QByteArray frame);

/// Decodes a WebSocket binary frame: always a binary Message, possibly empty.
Packet decodeBinaryFrame(QByteArray frame);

/// Encodes packets as one HTTP long-polling body: records joined by RecordSeparator, text
/// packets as type digit + data, binary packets as "b" + base64. An empty list gives an
/// empty body, which is not a valid payload: poll responses always hold a packet.
QByteArray encodePayload(const QList<Packet> &packets);

/// Decodes the body of a polling POST into its packets, in order. Fails, without
/// partial results, on an empty body or record (so also on a trailing separator), an
/// unknown type, invalid UTF-8, invalid base64, or more than `maxPackets` records.
/// Linear in the body size.
Result<QList<Packet>> decodePayload(const QByteArray &body, qsizetype maxPackets = NoPacketLimit);

/// Whether `bytes` is well-formed UTF-8 (no overlong forms, no surrogates, at most
/// U+10FFFF), as text packets must be.
bool isValidUtf8(QByteArrayView bytes);

} // namespace mmv::engineio
