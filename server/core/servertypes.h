#pragma once

#include <QDateTime>
#include <QHostAddress>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace mmv {

/// Limits of the HTTP front. Defaults suit a LAN server; tests shrink them.
struct HttpLimits
{
    qint64 maxHeaderBytes = 16 * 1024;
    qint64 maxJsonBody = 1024 * 1024;
    int headerTimeoutMs = 10'000; ///< a request head must arrive within this time
    int idleTimeoutMs = 75'000; ///< keep-alive connections idle this long are closed
    int bodyTimeoutMs = 60'000; ///< a body that makes no progress this long is dropped
    /// A body held back because the disk does not keep up (an upload's sink is behind) is
    /// dropped with 503 when the sink has not caught up for this long (a hung disk).
    int sinkTimeoutMs = 120'000;
    int maxConnections = 20'000;
};

/// Everything the network thread needs to start serving. A copyable value built from
/// Settings by app/; the server never reads settings itself.
struct ServerConfig
{
    QHostAddress bindAddress = QHostAddress::Any;
    quint16 port = 8765;
    QString dataDir;
    QString redisUrl;
    QString operatorToken;
    QString viewerToken;
    bool noAuth = false;
    QStringList corsOrigins;
    qint64 maxUploadBytes = 4LL * 1024 * 1024 * 1024;
    double eventRateLimit = 50; ///< events per second per socket, bursts of 2x; 0: no limit
    double chatRateLimit = 5; ///< chat messages per second per socket, bursts of 4x; 0: no limit
    QStringList allowedHosts; ///< extra Host names (reverse proxy)
    HttpLimits http;
    QString webRoot = QStringLiteral(":/web"); ///< static files of the browser client
};

/// What the server is doing, as the dashboard and the headless console show it.
struct ServerState
{
    enum class Status { Stopped, Starting, Listening, Stopping, Failed };

    Status status = Status::Stopped;
    QHostAddress bindAddress;
    quint16 port = 0; ///< the port actually bound (differs from the config when it was 0)
    QStringList urls; ///< every http:// URL the server can be reached at, loopback last
    QString error; ///< why it failed, when status is Failed
    QString storage = QStringLiteral("file");
    QDateTime startedAt;

    bool isListening() const { return status == Status::Listening; }
    /// The link a viewer opens: the first LAN URL with the viewer token.
    QString viewerLink(const QString &viewerToken) const;
};

QString toString(ServerState::Status status);

/// Counters sampled once a second in the network thread.
struct ServerStats
{
    qint64 uptimeSeconds = 0;
    qint64 uptimeMs = 0; ///< the same, precise enough to turn counters into rates
    int httpConnections = 0;
    int webSocketConnections = 0;
    int realtimeClients = 0; ///< Socket.IO connections (any transport)
    QString storageHealth; ///< "disabled" (file store), "connected" or "down" (Redis)
    qint64 protocolErrors = 0; ///< malformed requests, packets and frames, answered or closed
    qint64 unknownAcks = 0;
    qint64 rateLimited = 0; ///< client events refused by the rate limit
    qint64 requestsTotal = 0;
    qint64 bytesIn = 0;
    qint64 bytesOut = 0;
    qint64 messagesIn = 0; ///< Socket.IO packets received from clients since the start
    qint64 messagesOut = 0; ///< Socket.IO packets sent (a broadcast counts per recipient)
    qint64 eventsNotRecorded = 0; ///< packets the dashboard's event tap skipped (over its rate)
};

/// One line of the application log (warnings and above are kept for the dashboard).
struct LogEntry
{
    qint64 sequence = 0;
    QDateTime time;
    QtMsgType type = QtWarningMsg;
    QString category;
    QString message;
};

/// Every address the machine can be reached at, LAN addresses first, loopback last.
QList<QHostAddress> reachableAddresses(const QHostAddress &bindAddress);
QString urlFor(const QHostAddress &address, quint16 port);

void registerServerMetaTypes();

} // namespace mmv

Q_DECLARE_METATYPE(mmv::ServerConfig)
Q_DECLARE_METATYPE(mmv::ServerState)
Q_DECLARE_METATYPE(mmv::ServerStats)
Q_DECLARE_METATYPE(mmv::LogEntry)
