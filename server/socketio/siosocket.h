#pragma once

#include "siopacket.h"
#include "siotypes.h"

#include "server/engineio/enginesocket.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QVariantMap>

namespace mmv::socketio {

class Namespace;
class SioClient;

/// A client connected to one namespace. Joins the room named after its id; emits events,
/// with acks and a timeout; disconnects with the reasons of the reference server
/// ("client namespace disconnect", "server namespace disconnect", "transport close",
/// "ping timeout", "parse error", "server shutting down"...).
class SioSocket : public QObject
{
    Q_OBJECT

public:
    SioSocket(Namespace *nsp, SioClient *client, QString id, QJsonValue auth);
    ~SioSocket() override;

    QString id() const { return m_id; }
    Namespace *nsp() const { return m_nsp; }
    const engineio::Handshake &handshake() const;
    QString transport() const;
    QJsonValue auth() const { return m_auth; }
    QDateTime connectedAt() const { return m_connectedAt; }
    bool isConnected() const { return m_connected; }

    /// Application data attached by middleware or handlers (role, name...).
    QVariantMap &data() { return m_data; }
    const QVariantMap &data() const { return m_data; }

    /// The rooms joined, its own room (named after its id) first.
    const QStringList &rooms() const { return m_rooms; }
    void join(const QString &room);
    void leave(const QString &room);

    /// Emits `event` to this client; with a callback, asks for an ack that must arrive
    /// within `timeoutMs` (else the callback receives a Timeout error).
    void emitEvent(const QString &event, const Payload &payload = {}, AckCallback callback = {},
                   int timeoutMs = 10'000);
    /// Sends an already encoded packet (broadcasts encode once for all recipients).
    void sendEncoded(const QList<engineio::PreparedPacket> &messages);

    /// Leaves the namespace (the client is told); with `closeConnection` the whole
    /// connection closes.
    void disconnectSocket(bool closeConnection = false);

    /// What the dashboard lists; with `withHandshake`, also the handshake's headers and query
    /// (secrets such as tokens masked).
    SocketInfo info(bool withHandshake = false) const;
    qint64 messagesIn() const { return m_messagesIn; }
    qint64 messagesOut() const { return m_messagesOut; }

    // Used by SioClient and Namespace.
    void handlePacket(const Packet &packet);
    void finish(const QString &reason);
    void countOut() { ++m_messagesOut; }

Q_SIGNALS:
    void disconnected(const QString &reason);

private:
    void handleEvent(const Packet &packet);
    void handleAck(const Packet &packet);
    void send(const Packet &packet);

    QPointer<Namespace> m_nsp;
    QPointer<SioClient> m_client;
    QString m_id;
    QJsonValue m_auth;
    QVariantMap m_data;
    QStringList m_rooms; ///< a few, so a flat list (a QSet allocates 128 slots for one)
    QDateTime m_connectedAt;
    bool m_connected = true;

    struct PendingAck
    {
        AckCallback callback;
        QTimer *timer = nullptr;
    };
    QHash<qint64, PendingAck> m_pendingAcks;
    qint64 m_nextAckId = 0;
    qint64 m_messagesIn = 0;
    qint64 m_messagesOut = 0;
};

} // namespace mmv::socketio
