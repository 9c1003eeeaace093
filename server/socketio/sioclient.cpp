#include "sioclient.h"

#include "sionamespace.h"
#include "sioserver.h"
#include "siosocket.h"

#include "server/core/logging.h"

#include <QJsonObject>
#include <QTimerEvent>

namespace mmv::socketio {

SioClient::SioClient(SioServer *server, engineio::EngineSocket *engine)
    : QObject(engine)
    , m_server(server)
    , m_engine(engine)
    , m_decoder(server->config().maxAttachments)
{
    connect(engine, &engineio::EngineSocket::messageReceived, this, &SioClient::handleMessage);
    connect(engine, &engineio::EngineSocket::closed, this, &SioClient::handleEngineClosed);
    m_connectTimerId = startTimer(server->config().connectTimeoutMs);
}

void SioClient::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_connectTimerId) {
        QObject::timerEvent(event);
        return;
    }
    killTimer(std::exchange(m_connectTimerId, 0));
    if (m_sockets.isEmpty()) {
        qCDebug(lcSocketIo) << "no namespace joined in time; closing" << m_engine->id();
        close(QStringLiteral("connect timeout"));
    }
}

SioSocket *SioClient::socketOf(const QString &nsp) const
{
    for (SioSocket *socket : m_sockets) {
        if (socket->nsp() && socket->nsp()->name() == nsp)
            return socket;
    }
    return nullptr;
}

SioClient::~SioClient()
{
    if (!m_closed) {
        m_closed = true;
        const auto sockets = m_sockets;
        for (SioSocket *socket : sockets)
            socket->finish(QStringLiteral("transport close"));
        m_server->removeClient(this);
    }
}

void SioClient::handleMessage(const engineio::Packet &message)
{
    DecodeResult result
        = message.binary ? m_decoder.addBinary(message.data) : m_decoder.addText(message.data);
    if (!result) {
        qCInfo(lcSocketIo) << "malformed packet from" << m_engine->handshake().remoteAddress << ":"
                           << result.error().message;
        fail(QStringLiteral("parse error"));
        return;
    }
    if (result.value())
        handlePacket(*result.value());
}

void SioClient::handlePacket(const Packet &packet)
{
    if (packet.type == PacketType::Connect) {
        m_server->tap(PacketRecord::Direction::In, QString(), packet, 0);
        handleConnect(packet);
        return;
    }
    SioSocket *socket = socketOf(packet.nsp);
    if (!socket) {
        m_server->countMalformed(); // a packet for a namespace this client has not joined
        return;
    }
    m_server->tap(PacketRecord::Direction::In, socket->id(), packet, 0);
    socket->handlePacket(packet);
}

void SioClient::handleConnect(const Packet &packet)
{
    Namespace *nsp = m_server->find(packet.nsp);
    if (!nsp) {
        Packet refusal;
        refusal.type = PacketType::ConnectError;
        refusal.nsp = packet.nsp;
        refusal.data
            = QJsonObject{ { QStringLiteral("message"), QStringLiteral("Invalid namespace") } };
        send(refusal);
        return;
    }
    if (socketOf(nsp->name())) {
        m_server->countMalformed(); // already connected to this namespace
        return;
    }
    auto *socket = new SioSocket(nsp, this, m_server->generateId(), packet.data);
    if (auto error = nsp->runMiddleware(socket, socket->auth())) {
        Packet refusal;
        refusal.type = PacketType::ConnectError;
        refusal.nsp = nsp->name();
        QJsonObject body{ { QStringLiteral("message"), error->message } };
        if (!error->data.isUndefined())
            body.insert(QStringLiteral("data"), error->data);
        refusal.data = body;
        send(refusal);
        delete socket; // never joined: nothing to tell anybody
        return;
    }
    m_sockets.append(socket);
    if (m_connectTimerId != 0)
        killTimer(std::exchange(m_connectTimerId, 0));
    Packet accepted;
    accepted.type = PacketType::Connect;
    accepted.nsp = nsp->name();
    accepted.data = QJsonObject{ { QStringLiteral("sid"), socket->id() } };
    send(accepted);
    nsp->addSocket(socket);
}

void SioClient::send(const Packet &packet, const QString &socketId)
{
    if (!m_engine || m_closed)
        return;
    const EncodedPacket encoded = encode(packet);
    m_engine->send(engineio::Packet{ engineio::PacketType::Message, encoded.text, false });
    for (const QByteArray &attachment : encoded.attachments)
        m_engine->send(engineio::Packet{ engineio::PacketType::Message, attachment, true });
    m_server->tap(PacketRecord::Direction::Out, socketId, packet, encoded.text.size());
}

void SioClient::sendPrepared(const QList<engineio::PreparedPacket> &messages)
{
    if (!m_engine || m_closed)
        return;
    for (const engineio::PreparedPacket &message : messages)
        m_engine->send(message);
}

void SioClient::removeSocket(SioSocket *socket)
{
    const auto it = std::find(m_sockets.begin(), m_sockets.end(), socket);
    if (it != m_sockets.end())
        m_sockets.erase(it);
}

void SioClient::close(const QString &reason)
{
    if (m_engine && !m_closed)
        m_engine->close(reason);
}

void SioClient::fail(const QString &reason)
{
    m_server->countMalformed();
    close(reason);
}

void SioClient::handleEngineClosed(const QString &reason)
{
    if (m_closed)
        return;
    m_closed = true;
    if (m_connectTimerId != 0)
        killTimer(std::exchange(m_connectTimerId, 0));
    const auto sockets = m_sockets;
    m_sockets.clear();
    for (SioSocket *socket : sockets)
        socket->finish(reason);
    m_server->removeClient(this);
}

} // namespace mmv::socketio
