#include "siodecoder.h"

#include "server/engineio/enginepacket.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstring>
#include <limits>

namespace mmv::socketio {

namespace {

AppError decodeError(const QString &message, ErrorCode code = ErrorCode::BadRequest)
{
    return AppError{ code, QStringLiteral("socket.io: ") + message };
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

struct ParsedText
{
    Packet packet;
    qsizetype attachments = 0;
};

// Qt's parser accepts raw control characters inside strings; JSON and JSON.parse do not.
// Such bytes are rare outside strings too, so one quick scan usually settles it.
bool hasRawControlInString(QByteArrayView json)
{
    const auto isControl = [](char c) { return static_cast<uchar>(c) < 0x20; };
    if (std::none_of(json.begin(), json.end(), isControl))
        return false;
    bool inString = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (!inString)
            inString = c == '"';
        else if (c == '\\')
            ++i;
        else if (c == '"')
            inString = false;
        else if (isControl(c))
            return true;
    }
    return false;
}

// Parses any JSON value. QJsonDocument only takes an array or an object at the top, so
// anything else (the string of a ConnectError) is parsed as the single element of [..].
Result<QJsonValue> parseJson(QByteArrayView text)
{
    qsizetype start = 0;
    while (start < text.size()
           && (text[start] == ' ' || text[start] == '\t' || text[start] == '\n'
               || text[start] == '\r')) {
        ++start;
    }
    const bool container = start < text.size() && (text[start] == '[' || text[start] == '{');

    QByteArray buffer;
    if (container) {
        buffer = QByteArray::fromRawData(text.data(), text.size());
    } else {
        buffer.reserve(text.size() + 2);
        buffer.append('[');
        buffer.append(text);
        buffer.append(']');
    }
    if (hasRawControlInString(text))
        return decodeError(QStringLiteral("invalid JSON payload: control character in string"));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(buffer, &error);
    if (error.error != QJsonParseError::NoError) {
        return decodeError(QStringLiteral("invalid JSON payload: ") + error.errorString()
                           + QStringLiteral(" at offset ")
                           + QString::number(error.offset - (container ? 0 : 1)));
    }
    if (container)
        return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    const QJsonArray wrapper = document.array();
    if (wrapper.size() != 1)
        return decodeError(QStringLiteral("invalid JSON payload"));
    return wrapper.at(0);
}

bool placeholdersValid(const QJsonArray &array, qsizetype attachments);
bool placeholdersValid(const QJsonObject &object, qsizetype attachments);

// Walks containers through references: converting every element to a QJsonValue would
// copy each string of a large payload.
bool placeholdersValid(QJsonValueConstRef value, qsizetype attachments)
{
    if (value.isArray())
        return placeholdersValid(value.toArray(), attachments);
    if (value.isObject())
        return placeholdersValid(value.toObject(), attachments);
    return true;
}

bool placeholdersValid(const QJsonArray &array, qsizetype attachments)
{
    for (auto it = array.constBegin(); it != array.constEnd(); ++it) {
        if (!placeholdersValid(*it, attachments))
            return false;
    }
    return true;
}

bool placeholdersValid(const QJsonObject &object, qsizetype attachments)
{
    if (const auto index = placeholderIndex(object))
        return *index >= 0 && *index < attachments;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!placeholdersValid(it.value(), attachments))
            return false;
    }
    return true;
}

// Whether the JSON text of a packet with `attachments` attachments needs the placeholder
// walk. A plain packet can only hold a placeholder if the key "_placeholder" appears,
// literally or with \u escapes; skipping the walk otherwise saves a sixth of the decoding.
bool mayHoldPlaceholder(QByteArrayView json, qsizetype attachments)
{
    return attachments > 0 || json.contains("_placeholder") || json.contains("\\u");
}

// socket.io-parser's isPayloadValid, except that an absent payload is checked too.
std::optional<QString> payloadProblem(PacketType type, const QJsonValue &data)
{
    switch (type) {
    case PacketType::Connect:
        if (!data.isUndefined() && !data.isObject())
            return QStringLiteral("CONNECT payload must be an object");
        break;
    case PacketType::Disconnect:
        if (!data.isUndefined())
            return QStringLiteral("DISCONNECT takes no payload");
        break;
    case PacketType::ConnectError:
        if (!data.isString() && !data.isObject())
            return QStringLiteral("CONNECT_ERROR payload must be an object or a string");
        break;
    case PacketType::Event:
    case PacketType::BinaryEvent: {
        if (!data.isArray() || data.toArray().isEmpty())
            return QStringLiteral("EVENT payload must be a non-empty array");
        const QJsonValue name = data.toArray().at(0);
        if (name.isString()) {
            if (isReservedEventName(name.toString()))
                return QStringLiteral("reserved event name \"") + name.toString()
                    + QLatin1Char('"');
        } else if (!name.isDouble()) {
            return QStringLiteral("event name must be a string or a number");
        }
        break;
    }
    case PacketType::Ack:
    case PacketType::BinaryAck:
        if (!data.isArray())
            return QStringLiteral("ACK payload must be an array");
        break;
    }
    return std::nullopt;
}

Result<ParsedText> parseText(const QByteArray &text, int maxAttachments)
{
    const char *const s = text.constData();
    const qsizetype size = text.size();
    if (size == 0)
        return decodeError(QStringLiteral("empty packet"));
    if (s[0] < '0' || s[0] > '6') {
        return decodeError(QStringLiteral("unknown packet type 0x")
                           + QString::number(static_cast<uchar>(s[0]), 16));
    }

    ParsedText parsed;
    Packet &packet = parsed.packet;
    packet.type = static_cast<PacketType>(s[0] - '0');
    qsizetype i = 1;

    if (packet.type == PacketType::BinaryEvent || packet.type == PacketType::BinaryAck) {
        const qsizetype start = i;
        qint64 count = 0;
        for (; i < size && isDigit(s[i]); ++i) {
            // Saturates: once above the limit the exact value no longer matters.
            if (count <= maxAttachments)
                count = count * 10 + (s[i] - '0');
        }
        if (i == start || i == size || s[i] != '-' || count < 1)
            return decodeError(QStringLiteral("invalid attachment count"));
        if (count > maxAttachments) {
            return decodeError(QStringLiteral("too many attachments (at most ")
                                   + QString::number(maxAttachments) + QLatin1Char(')'),
                               ErrorCode::PayloadTooLarge);
        }
        parsed.attachments = count;
        ++i;
    }

    if (i < size && s[i] == '/') {
        const auto *comma = static_cast<const char *>(std::memchr(s + i, ',', size - i));
        const qsizetype end = comma ? comma - s : size;
        const QByteArrayView nsp(s + i, end - i);
        if (!engineio::isValidUtf8(nsp))
            return decodeError(QStringLiteral("invalid UTF-8 in namespace"));
        packet.nsp = QString::fromUtf8(nsp);
        i = comma ? end + 1 : size;
    }

    if (i < size && isDigit(s[i])) {
        constexpr qint64 max = std::numeric_limits<qint64>::max();
        qint64 id = 0;
        for (; i < size && isDigit(s[i]); ++i) {
            const int digit = s[i] - '0';
            if (id > (max - digit) / 10)
                return decodeError(QStringLiteral("ack id out of range"));
            id = id * 10 + digit;
        }
        packet.id = id;
    }

    const QByteArrayView json(s + i, size - i);
    if (!json.isEmpty()) {
        auto data = parseJson(json);
        if (!data)
            return data.error();
        packet.data = std::move(data.value());
    }

    if (const auto problem = payloadProblem(packet.type, packet.data))
        return decodeError(QStringLiteral("invalid payload: ") + *problem);
    // Placeholders only mean binary in binary packets; elsewhere such objects are plain data
    // (as socket.io-parser treats them).
    if (parsed.attachments > 0 && !packet.data.isUndefined()
        && mayHoldPlaceholder(json, parsed.attachments)) {
        const bool valid = packet.data.isArray()
            ? placeholdersValid(packet.data.toArray(), parsed.attachments)
            : !packet.data.isObject()
                || placeholdersValid(packet.data.toObject(), parsed.attachments);
        if (!valid)
            return decodeError(QStringLiteral("placeholder references no attachment"));
    }
    return parsed;
}

} // namespace

Decoder::Decoder(int maxAttachments)
    : m_maxAttachments(maxAttachments)
{ }

DecodeResult Decoder::addText(const QByteArray &text)
{
    if (m_pending) {
        const qsizetype missing = missingAttachments();
        reset();
        return decodeError(QStringLiteral("text packet while awaiting ") + QString::number(missing)
                           + QStringLiteral(" binary attachment(s)"));
    }
    auto parsed = parseText(text, m_maxAttachments);
    if (!parsed)
        return parsed.error();
    if (parsed.value().attachments == 0)
        return std::optional<Packet>(std::move(parsed.value().packet));
    m_expectedAttachments = parsed.value().attachments;
    m_pending = std::move(parsed.value().packet);
    m_pending->attachments.reserve(m_expectedAttachments);
    return std::optional<Packet>();
}

DecodeResult Decoder::addBinary(const QByteArray &bytes)
{
    if (!m_pending)
        return decodeError(QStringLiteral("unexpected binary attachment"));
    m_pending->attachments.append(bytes);
    if (m_pending->attachments.size() < m_expectedAttachments)
        return std::optional<Packet>();
    std::optional<Packet> complete = std::move(m_pending);
    reset();
    return complete;
}

qsizetype Decoder::missingAttachments() const
{
    return m_pending ? m_expectedAttachments - m_pending->attachments.size() : 0;
}

void Decoder::reset()
{
    m_pending.reset();
    m_expectedAttachments = 0;
}

} // namespace mmv::socketio
