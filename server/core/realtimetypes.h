#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

// Value types of the real-time side that cross layers and threads (the dashboard receives
// them through queued signals).

namespace mmv {

/// A Socket.IO connection (one socket in one namespace) as the dashboard and the operator
/// API see it.
struct ConnectionInfo
{
    QString id;
    QString nsp;
    QString engineId;
    QString remoteAddress;
    QString transport;
    QString userAgent;
    QString name;
    QString role;
    QStringList rooms;
    QDateTime connectedAt;
    qint64 messagesIn = 0;
    qint64 messagesOut = 0;
    qint64 bytesIn = 0;
    qint64 bytesOut = 0;
    /// The handshake request, filled only in a detail answer (connectionDetailLoaded), not
    /// in the periodic list: headers as received and the decoded query parameters, in order
    /// (secrets such as the token masked).
    QList<QPair<QString, QString>> headers;
    QList<QPair<QString, QString>> query;
    quint16 remotePort = 0;
};

struct RoomInfo
{
    QString nsp;
    QString name;
    int members = 0;
};

/// One packet in or out, for the dashboard's event stream.
struct EventRecord
{
    enum class Direction { In, Out };
    QDateTime time;
    Direction direction = Direction::In;
    QString socketId; ///< empty for broadcasts
    QString nsp;
    QString type; ///< "event", "ack", "connect"...
    QString event;
    QStringList rooms; ///< broadcast targets
    qint64 ackId = -1;
    int recipients = 1;
    qint64 size = 0; ///< bytes of the text part
    int attachments = 0;
    QString preview; ///< JSON, truncated
};

} // namespace mmv

Q_DECLARE_METATYPE(mmv::ConnectionInfo)
Q_DECLARE_METATYPE(mmv::RoomInfo)
Q_DECLARE_METATYPE(mmv::EventRecord)
