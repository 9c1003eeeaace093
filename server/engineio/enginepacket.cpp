#include "enginepacket.h"

#include <cstring>

namespace mmv::engineio {

namespace {

// `record` is the index of the record in a polling payload, -1 for a WebSocket frame.
AppError badPacket(const QString &message, qsizetype record = -1)
{
    QString text = QStringLiteral("engine.io: ") + message;
    if (record >= 0)
        text += QStringLiteral(" (record ") + QString::number(record) + QLatin1Char(')');
    return AppError{ ErrorCode::BadRequest, text };
}

QString describeByte(char c)
{
    const auto u = static_cast<uchar>(c);
    if (u >= 0x20 && u < 0x7f)
        return QLatin1Char('\'') + QLatin1Char(c) + QLatin1Char('\'');
    return QStringLiteral("0x") + QString::number(u, 16).rightJustified(2, QLatin1Char('0'));
}

char typeDigit(PacketType type)
{
    return static_cast<char>('0' + static_cast<int>(type));
}

std::optional<PacketType> typeFromDigit(char c)
{
    if (c < '0' || c > '6')
        return std::nullopt;
    return static_cast<PacketType>(c - '0');
}

// Qt's decoder alone accepts a lone trailing character ("A" decodes to nothing), which
// no encoder produces; reject it so that corrupted bodies fail loudly.
std::optional<QByteArray> decodeBase64(QByteArrayView text)
{
    if (text.size() % 4 == 1)
        return std::nullopt;
    auto result = QByteArray::fromBase64Encoding(QByteArray::fromRawData(text.data(), text.size()),
                                                 QByteArray::Base64Encoding
                                                     | QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return std::nullopt;
    return std::move(result.decoded);
}

// Decodes one text-form packet (WebSocket text frame or polling record). `owner`, when
// given, is the array that `record` spans entirely: the data then reuses its buffer.
Result<Packet> decodeRecord(QByteArrayView record, QByteArray *owner, qsizetype index)
{
    if (record.isEmpty())
        return badPacket(QStringLiteral("empty packet"), index);
    const char first = record.front();
    if (first == 'b') {
        auto bytes = decodeBase64(record.sliced(1));
        if (!bytes)
            return badPacket(QStringLiteral("invalid base64 in binary packet"), index);
        return Packet{ PacketType::Message, std::move(*bytes), true };
    }
    const auto type = typeFromDigit(first);
    if (!type)
        return badPacket(QStringLiteral("unknown packet type ") + describeByte(first), index);
    const QByteArrayView data = record.sliced(1);
    if (!isValidUtf8(data))
        return badPacket(QStringLiteral("invalid UTF-8 in text packet"), index);
    if (owner) {
        // Dropping the first byte of an unshared QByteArray only moves its begin pointer.
        owner->remove(0, 1);
        return Packet{ *type, std::move(*owner), false };
    }
    return Packet{ *type, data.toByteArray(), false };
}

} // namespace

QLatin1StringView packetTypeName(PacketType type)
{
    switch (type) {
    case PacketType::Open:
        return QLatin1StringView("open");
    case PacketType::Close:
        return QLatin1StringView("close");
    case PacketType::Ping:
        return QLatin1StringView("ping");
    case PacketType::Pong:
        return QLatin1StringView("pong");
    case PacketType::Message:
        return QLatin1StringView("message");
    case PacketType::Upgrade:
        return QLatin1StringView("upgrade");
    case PacketType::Noop:
        return QLatin1StringView("noop");
    }
    return QLatin1StringView("unknown");
}

QByteArray encodeWebSocketFrame(const Packet &packet)
{
    if (packet.binary)
        return packet.data;
    QByteArray frame;
    frame.reserve(1 + packet.data.size());
    frame.append(typeDigit(packet.type));
    frame.append(packet.data);
    return frame;
}

Result<Packet> decodeTextFrame(QByteArray frame)
{
    return decodeRecord(frame, &frame, -1);
}

Packet decodeBinaryFrame(QByteArray frame)
{
    return Packet{ PacketType::Message, std::move(frame), true };
}

QByteArray encodePayload(const QList<Packet> &packets)
{
    qsizetype total = packets.size(); // separators and type characters
    for (const Packet &packet : packets)
        total += packet.binary ? (packet.data.size() + 2) / 3 * 4 : packet.data.size();

    QByteArray body;
    body.reserve(total);
    for (const Packet &packet : packets) {
        if (!body.isEmpty())
            body.append(RecordSeparator);
        if (packet.binary) {
            body.append('b');
            body.append(packet.data.toBase64());
        } else {
            body.append(typeDigit(packet.type));
            body.append(packet.data);
        }
    }
    return body;
}

Result<QList<Packet>> decodePayload(const QByteArray &body, qsizetype maxPackets)
{
    if (body.isEmpty())
        return badPacket(QStringLiteral("empty payload"));

    QList<Packet> packets;
    const char *const begin = body.constData();
    const char *const end = begin + body.size();
    const char *record = begin;
    for (;;) {
        const auto *separator
            = static_cast<const char *>(std::memchr(record, RecordSeparator, end - record));
        const char *recordEnd = separator ? separator : end;
        if (packets.size() >= maxPackets) {
            return AppError{ ErrorCode::PayloadTooLarge,
                             QStringLiteral("engine.io: more than ") + QString::number(maxPackets)
                                 + QStringLiteral(" packets in payload") };
        }
        auto packet = decodeRecord(QByteArrayView(record, recordEnd), nullptr, packets.size());
        if (!packet)
            return packet.error();
        packets.append(std::move(packet.value()));
        if (!separator)
            break;
        record = separator + 1;
    }
    return packets;
}

bool isValidUtf8(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    const auto *const end = p + bytes.size();
    while (p < end) {
        // Most traffic is ASCII JSON: skip it eight bytes at a time.
        while (end - p >= 8) {
            quint64 chunk;
            std::memcpy(&chunk, p, sizeof chunk);
            if (chunk & 0x8080808080808080ULL)
                break;
            p += 8;
        }
        if (p == end)
            break;
        const uchar lead = *p;
        if (lead < 0x80) {
            ++p;
            continue;
        }
        // Allowed range of the second byte per lead byte (Unicode table 3-7).
        qsizetype continuation = 0;
        uchar low = 0x80;
        uchar high = 0xbf;
        if (lead >= 0xc2 && lead <= 0xdf) {
            continuation = 1;
        } else if (lead == 0xe0) {
            continuation = 2;
            low = 0xa0;
        } else if ((lead >= 0xe1 && lead <= 0xec) || lead == 0xee || lead == 0xef) {
            continuation = 2;
        } else if (lead == 0xed) {
            continuation = 2;
            high = 0x9f;
        } else if (lead == 0xf0) {
            continuation = 3;
            low = 0x90;
        } else if (lead >= 0xf1 && lead <= 0xf3) {
            continuation = 3;
        } else if (lead == 0xf4) {
            continuation = 3;
            high = 0x8f;
        } else {
            return false;
        }
        if (end - p <= continuation)
            return false;
        if (p[1] < low || p[1] > high)
            return false;
        for (qsizetype k = 2; k <= continuation; ++k) {
            if ((p[k] & 0xc0) != 0x80)
                return false;
        }
        p += continuation + 1;
    }
    return true;
}

} // namespace mmv::engineio
