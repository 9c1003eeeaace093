#pragma once

#include "siodecoder.h"

#include "server/engineio/enginesocket.h"

#include <QObject>
#include <QPointer>
#include <QVarLengthArray>

namespace mmv::socketio {

class SioServer;
class SioSocket;

/// One Engine.IO connection as Socket.IO sees it: decodes its messages into packets and
/// routes them to the sockets of each namespace it joined. Closes the connection on a
/// malformed packet, and when no namespace is joined within the connect timeout.
class SioClient : public QObject
{
    Q_OBJECT

public:
    SioClient(SioServer *server, engineio::EngineSocket *engine);
    ~SioClient() override;

    engineio::EngineSocket *engine() const { return m_engine; }
    /// Sends one packet (text message plus attachments) to this client.
    void send(const Packet &packet, const QString &socketId = {});
    void sendPrepared(const QList<engineio::PreparedPacket> &messages);
    void removeSocket(SioSocket *socket);
    void close(const QString &reason);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void handleMessage(const engineio::Packet &message);
    void handlePacket(const Packet &packet);
    void handleConnect(const Packet &packet);
    void handleEngineClosed(const QString &reason);
    void fail(const QString &reason);

    SioServer *m_server = nullptr;
    QPointer<engineio::EngineSocket> m_engine;
    Decoder m_decoder;
    SioSocket *socketOf(const QString &nsp) const;

    /// By namespace; nearly always one, so a flat array rather than a hash (a Qt 6 QHash
    /// allocates 128 slots for its first entry).
    QVarLengthArray<SioSocket *, 1> m_sockets;
    int m_connectTimerId = 0; ///< until the first namespace is joined
    bool m_closed = false;
};

} // namespace mmv::socketio
