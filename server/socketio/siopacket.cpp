#include "siopacket.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <array>
#include <cmath>

namespace mmv::socketio {

namespace {

QByteArray toCompactJson(const QJsonValue &value)
{
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    // QJsonDocument holds only arrays and objects: serialise [value] and drop the brackets.
    const QByteArray wrapped = QJsonDocument(QJsonArray{ value }).toJson(QJsonDocument::Compact);
    return wrapped.sliced(1, wrapped.size() - 2);
}

std::optional<QVariantList> argumentsFrom(const Packet &packet, qsizetype first)
{
    if (!packet.data.isArray())
        return std::nullopt;
    const QJsonArray array = packet.data.toArray();
    if (array.size() < first)
        return std::nullopt;
    QVariantList result;
    result.reserve(array.size() - first);
    for (qsizetype i = first; i < array.size(); ++i) {
        auto value = fromWireValue(array.at(i), packet.attachments);
        if (!value)
            return std::nullopt;
        result.append(std::move(*value));
    }
    return result;
}

template<typename Map>
QJsonObject toWireObject(const Map &map, QList<QByteArray> &attachments)
{
    QJsonObject object;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        object.insert(it.key(), toWireValue(it.value(), attachments));
    return object;
}

} // namespace

EncodedPacket encode(const Packet &packet)
{
    const bool binary = (isEvent(packet) || isAck(packet)) && !packet.attachments.isEmpty();
    PacketType wireType = packet.type;
    if (isEvent(packet))
        wireType = binary ? PacketType::BinaryEvent : PacketType::Event;
    else if (isAck(packet))
        wireType = binary ? PacketType::BinaryAck : PacketType::Ack;

    const bool hasData = !packet.data.isUndefined() && !packet.data.isNull();
    const QByteArray json = hasData ? toCompactJson(packet.data) : QByteArray();
    const bool customNamespace = !packet.nsp.isEmpty() && packet.nsp != QLatin1StringView("/");

    EncodedPacket encoded;
    QByteArray &text = encoded.text;
    text.reserve(24 + (customNamespace ? packet.nsp.size() * 3 : 0) + json.size());
    text.append(static_cast<char>('0' + static_cast<int>(wireType)));
    if (binary) {
        text.append(QByteArray::number(packet.attachments.size()));
        text.append('-');
        encoded.attachments = packet.attachments;
    }
    if (customNamespace) {
        text.append(packet.nsp.toUtf8());
        text.append(',');
    }
    if (packet.id)
        text.append(QByteArray::number(*packet.id));
    text.append(json);
    return encoded;
}

QLatin1StringView packetTypeName(PacketType type)
{
    switch (type) {
    case PacketType::Connect:
        return QLatin1StringView("connect");
    case PacketType::Disconnect:
        return QLatin1StringView("disconnect");
    case PacketType::Event:
        return QLatin1StringView("event");
    case PacketType::Ack:
        return QLatin1StringView("ack");
    case PacketType::ConnectError:
        return QLatin1StringView("connect_error");
    case PacketType::BinaryEvent:
        return QLatin1StringView("binary_event");
    case PacketType::BinaryAck:
        return QLatin1StringView("binary_ack");
    }
    return QLatin1StringView("unknown");
}

bool isReservedEventName(QStringView name)
{
    static constexpr std::array reserved{
        QLatin1StringView("connect"),     QLatin1StringView("connect_error"),
        QLatin1StringView("disconnect"),  QLatin1StringView("disconnecting"),
        QLatin1StringView("newListener"), QLatin1StringView("removeListener"),
    };
    for (const auto &r : reserved) {
        if (name == r)
            return true;
    }
    return false;
}

QJsonObject placeholder(qsizetype index)
{
    return QJsonObject{ { QLatin1StringView("_placeholder"), true },
                        { QLatin1StringView("num"), qint64(index) } };
}

std::optional<qsizetype> placeholderIndex(const QJsonValue &value)
{
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject object = value.toObject();
    const QJsonValue flag = object.value(QLatin1StringView("_placeholder"));
    if (!flag.isBool() || !flag.toBool())
        return std::nullopt;
    const QJsonValue num = object.value(QLatin1StringView("num"));
    if (!num.isDouble())
        return -1;
    const qint64 index = num.toInteger(-1);
    return index >= 0 ? qsizetype(index) : qsizetype(-1);
}

QJsonObject attach(Packet &packet, QByteArray bytes)
{
    packet.attachments.append(std::move(bytes));
    return placeholder(packet.attachments.size() - 1);
}

QJsonValue toWireValue(const QVariant &value, QList<QByteArray> &attachments)
{
    switch (value.typeId()) {
    case QMetaType::QByteArray:
        attachments.append(value.toByteArray());
        return placeholder(attachments.size() - 1);
    case QMetaType::QVariantList: {
        const QVariantList list = value.toList();
        QJsonArray array;
        for (const QVariant &item : list)
            array.append(toWireValue(item, attachments));
        return array;
    }
    case QMetaType::QVariantMap:
        return toWireObject(value.toMap(), attachments);
    case QMetaType::QVariantHash:
        return toWireObject(value.toHash(), attachments);
    default:
        return QJsonValue::fromVariant(value);
    }
}

std::optional<QVariant> fromWireValue(const QJsonValue &value, const QList<QByteArray> &attachments)
{
    if (value.isObject()) {
        if (const auto index = placeholderIndex(value)) {
            if (*index < 0 || *index >= attachments.size())
                return std::nullopt;
            return QVariant(attachments.at(*index));
        }
        const QJsonObject object = value.toObject();
        QVariantMap map;
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            auto item = fromWireValue(it.value(), attachments);
            if (!item)
                return std::nullopt;
            map.insert(it.key(), std::move(*item));
        }
        return QVariant(std::move(map));
    }
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        QVariantList list;
        list.reserve(array.size());
        for (const auto &element : array) {
            auto item = fromWireValue(element, attachments);
            if (!item)
                return std::nullopt;
            list.append(std::move(*item));
        }
        return QVariant(std::move(list));
    }
    return value.toVariant();
}

Packet makeEvent(const QString &name, const QVariantList &args, const QString &nsp,
                 std::optional<qint64> ackId)
{
    Packet packet;
    packet.nsp = nsp;
    packet.id = ackId;
    QJsonArray array{ name };
    for (const QVariant &arg : args)
        array.append(toWireValue(arg, packet.attachments));
    packet.data = array;
    packet.type = packet.attachments.isEmpty() ? PacketType::Event : PacketType::BinaryEvent;
    return packet;
}

Packet makeAck(qint64 id, const QVariantList &args, const QString &nsp)
{
    Packet packet;
    packet.nsp = nsp;
    packet.id = id;
    QJsonArray array;
    for (const QVariant &arg : args)
        array.append(toWireValue(arg, packet.attachments));
    packet.data = array;
    packet.type = packet.attachments.isEmpty() ? PacketType::Ack : PacketType::BinaryAck;
    return packet;
}

QString eventName(const Packet &packet)
{
    if (!isEvent(packet) || !packet.data.isArray())
        return QString();
    const QJsonValue first = packet.data.toArray().at(0);
    if (first.isString())
        return first.toString();
    if (first.isDouble()) {
        const double number = first.toDouble();
        if (std::trunc(number) == number && std::abs(number) < 9.0e18)
            return QString::number(first.toInteger());
        return QString::number(number, 'g', QLocale::FloatingPointShortest);
    }
    return QString();
}

std::optional<QVariantList> arguments(const Packet &packet)
{
    if (isEvent(packet))
        return argumentsFrom(packet, 1);
    if (isAck(packet))
        return argumentsFrom(packet, 0);
    return std::nullopt;
}

} // namespace mmv::socketio
