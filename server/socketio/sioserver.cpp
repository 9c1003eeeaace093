#include "sioserver.h"

#include "sioclient.h"
#include "siosocket.h"

#include "server/core/logging.h"

#include <QJsonDocument>
#include <QRandomGenerator>

namespace mmv::socketio {

SioServer::SioServer(engineio::EngineServer *engine, SioConfig config, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_config(config)
{
    qRegisterMetaType<PacketRecord>();
    qRegisterMetaType<QList<PacketRecord>>();
    qRegisterMetaType<SocketInfo>();
    qRegisterMetaType<QList<SocketInfo>>();
    qRegisterMetaType<RoomInfo>();
    qRegisterMetaType<QList<RoomInfo>>();
    of(QStringLiteral("/"));
    connect(engine, &engineio::EngineServer::connection, this, &SioServer::handleConnection);
    m_tapTimer.setSingleShot(true);
    m_tapTimer.setInterval(100);
    connect(&m_tapTimer, &QTimer::timeout, this, &SioServer::flushTap);
    m_tapWindow.start();
}

SioServer::~SioServer()
{
    // Clients belong to engine sockets; make sure none reports back to us while we go.
    const auto clients = m_clients;
    m_clients.clear();
    for (SioClient *client : clients)
        delete client;
}

Namespace *SioServer::of(const QString &name)
{
    const QString normalized = name.startsWith(QLatin1Char('/')) ? name : QLatin1Char('/') + name;
    Namespace *&nsp = m_namespaces[normalized];
    if (!nsp)
        nsp = new Namespace(this, normalized);
    return nsp;
}

int SioServer::socketCount() const
{
    int count = 0;
    for (const Namespace *nsp : m_namespaces)
        count += nsp->socketCount();
    return count;
}

QList<SocketInfo> SioServer::socketInfos() const
{
    QList<SocketInfo> result;
    result.reserve(socketCount());
    for (const Namespace *nsp : m_namespaces) {
        const auto sockets = nsp->sockets();
        for (const SioSocket *socket : sockets)
            result.append(socket->info());
    }
    return result;
}

QList<RoomInfo> SioServer::roomInfos() const
{
    QList<RoomInfo> result;
    for (const Namespace *nsp : m_namespaces)
        result += nsp->rooms();
    return result;
}

SioSocket *SioServer::findSocket(const QString &id) const
{
    for (const Namespace *nsp : m_namespaces) {
        if (SioSocket *socket = nsp->socket(id))
            return socket;
    }
    return nullptr;
}

void SioServer::closeAll()
{
    const auto clients = m_clients;
    for (SioClient *client : clients)
        client->close(QStringLiteral("server shutting down"));
}

void SioServer::handleConnection(engineio::EngineSocket *engine)
{
    m_clients.insert(new SioClient(this, engine));
}

void SioServer::removeClient(SioClient *client)
{
    m_clients.remove(client);
}

QString SioServer::generateId() const
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray bytes(reinterpret_cast<const char *>(words), 15);
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding));
}

void SioServer::tap(PacketRecord::Direction direction, const QString &socketId,
                    const Packet &packet, qint64 size, const QStringList &rooms, int recipients)
{
    if (!m_tapEnabled)
        return;
    if (m_tapWindow.elapsed() >= 1000) {
        m_tapWindow.restart();
        m_tapInWindow = 0;
    }
    if (m_tapInWindow >= m_config.tapRatePerSecond) {
        ++m_tapDropped;
        return;
    }
    ++m_tapInWindow;
    PacketRecord record;
    record.time = QDateTime::currentDateTimeUtc();
    record.direction = direction;
    record.socketId = socketId;
    record.nsp = packet.nsp;
    record.type = QString(packetTypeName(packet.type));
    if (isEvent(packet))
        record.event = eventName(packet);
    record.rooms = rooms;
    record.ackId = packet.id.value_or(-1);
    record.recipients = recipients;
    record.size = size;
    record.attachments = int(packet.attachments.size());
    if (!packet.data.isUndefined()) {
        QByteArray json = packet.data.isArray()
            ? QJsonDocument(packet.data.toArray()).toJson(QJsonDocument::Compact)
            : packet.data.isObject()
            ? QJsonDocument(packet.data.toObject()).toJson(QJsonDocument::Compact)
            : packet.data.toVariant().toString().toUtf8();
        if (record.size == 0)
            record.size = json.size();
        record.preview = QString::fromUtf8(json.left(m_config.tapPreviewChars));
    }
    m_tapBuffer.append(std::move(record));
    if (!m_tapTimer.isActive())
        m_tapTimer.start();
}

void SioServer::flushTap()
{
    if (m_tapBuffer.isEmpty())
        return;
    Q_EMIT packetsTapped(std::exchange(m_tapBuffer, {}));
}

} // namespace mmv::socketio
