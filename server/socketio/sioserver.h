#pragma once

#include "sionamespace.h"
#include "siopacket.h"
#include "siotypes.h"

#include "server/engineio/engineserver.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

namespace mmv::socketio {

class SioClient;

struct SioConfig
{
    int connectTimeoutMs = 45'000; ///< a connection must join a namespace within this
    int maxAttachments = 10;
    /// Packet records for the dashboard: at most this many per second, the rest counted.
    int tapRatePerSecond = 2000;
    int tapPreviewChars = 512;
};

/// The Socket.IO v5 server on top of an EngineServer: namespaces (the main one, "/", always
/// exists; others once registered with of()), clients, and the introspection the dashboard
/// and the operator API use. Lives in the network thread.
class SioServer : public QObject
{
    Q_OBJECT

public:
    SioServer(engineio::EngineServer *engine, SioConfig config = {}, QObject *parent = nullptr);
    ~SioServer() override;

    const SioConfig &config() const { return m_config; }
    engineio::EngineServer *engine() const { return m_engine; }

    /// The namespace `name`, created on first use.
    Namespace *of(const QString &name);
    Namespace *find(const QString &name) const { return m_namespaces.value(name); }
    QList<Namespace *> namespaces() const { return m_namespaces.values(); }

    int clientCount() const { return int(m_clients.size()); }
    int socketCount() const;
    QList<SocketInfo> socketInfos() const;
    QList<RoomInfo> roomInfos() const;
    /// Finds a socket by id in any namespace.
    SioSocket *findSocket(const QString &id) const;

    /// Disconnects every client ("server shutting down").
    void closeAll();

    /// Whether packet records are produced (off until the dashboard asks).
    void setTapEnabled(bool enabled) { m_tapEnabled = enabled; }
    bool isTapEnabled() const { return m_tapEnabled; }
    qint64 tapDropped() const { return m_tapDropped; }
    qint64 malformedPackets() const { return m_malformedPackets; }
    qint64 unknownAcks() const { return m_unknownAcks; }

    // Used by clients and sockets.
    void tap(PacketRecord::Direction direction, const QString &socketId, const Packet &packet,
             qint64 size, const QStringList &rooms = {}, int recipients = 1);
    void countMalformed() { ++m_malformedPackets; }
    void countUnknownAck() { ++m_unknownAcks; }
    void removeClient(SioClient *client);
    QString generateId() const;

Q_SIGNALS:
    /// Batches of packet records, at most every 100 ms, while the tap is enabled.
    void packetsTapped(const QList<mmv::socketio::PacketRecord> &records);

private:
    void handleConnection(engineio::EngineSocket *engine);
    void flushTap();

    engineio::EngineServer *m_engine = nullptr;
    SioConfig m_config;
    QHash<QString, Namespace *> m_namespaces;
    QSet<SioClient *> m_clients;

    bool m_tapEnabled = false;
    QList<PacketRecord> m_tapBuffer;
    QTimer m_tapTimer;
    QElapsedTimer m_tapWindow;
    int m_tapInWindow = 0;
    qint64 m_tapDropped = 0;
    qint64 m_malformedPackets = 0;
    qint64 m_unknownAcks = 0;
};

} // namespace mmv::socketio
