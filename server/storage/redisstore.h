#pragma once

#include "server/storage/store.h"

#include <memory>

namespace mmv::storage {

/// Where Redis is, parsed from `redis://[[user]:password@]host[:port][/db]` or
/// `unix:///path/to/redis.sock` (both also accept `?db=N&password=P`).
struct RedisEndpoint
{
    QString host; ///< empty for a Unix socket
    quint16 port = 6379;
    QString socketPath; ///< set for unix://
    QString username; ///< an ACL user (Redis 6+); empty for the default user
    QString password;
    int db = 0;

    /// The endpoint of `url`, or InvalidArgument saying what is wrong with it.
    static Result<RedisEndpoint> parse(const QString &url);
    /// host:port/db or the socket path, never the password (for logs and the dashboard).
    QString displayName() const;
};

/// The store on Redis, through hiredis's asynchronous API driven by the Qt event loop of the
/// thread that creates it (the network thread; use it from that thread only).
///
/// Keys (prefix "mmv:"): `chat:<session>` stream, capped (XADD MAXLEN ~), each entry holding
/// the message as JSON in field "m"; `status:<video>` string; `results:<video>` list;
/// `journal` stream, capped; `conn:<instance>` hash of this instance's connections plus the
/// `instances` sorted set, both expiring unless the instance refreshes them, so the connections
/// of a crashed instance disappear after Options::registryTtlMs.
///
/// Writes go through one ordered queue. While Redis is unreachable they wait there, bounded:
/// beyond Options::bufferLimit commands (or bufferBytesLimit bytes) the oldest are dropped,
/// counted in droppedWrites() and logged at most every 5 s. Meanwhile health() is "down"; the
/// store reconnects with exponential backoff and, once connected, writes the queue in order
/// before anything newer, then reports "connected". A write whose reply was lost with the
/// connection is sent again in a form that skips it if Redis had applied it already (chat and
/// journal entries carry a unique field "u" for that), so a Redis restart loses or doubles
/// nothing that Redis itself kept. close() flushes the queue synchronously (bounded by
/// Options::closeTimeoutMs) and removes this instance's connections.
///
/// Reads go through the same queue (they see every earlier write) and answer within
/// Options::readTimeoutMs. When Redis cannot answer in time (down, reconnecting, hanging), they
/// answer from a bounded cache of what this instance recently wrote or read:
/// - chatHistory: the cached recent messages of the session (at most cacheChatPerSession; those
///   not yet written included), or Unavailable if the session is not cached;
/// - latestStatus: the cached status (none after clearVideo), or Unavailable if not cached;
/// - journal: the cached recent entries, or Unavailable if nothing is cached;
/// - results: Unavailable (too large to cache);
/// - connections: the connections of this instance only.
/// Replies always come from the event loop, never before the call returns (replies still
/// pending when the store is destroyed are not delivered).
class RedisStore final : public Store
{
    Q_OBJECT

public:
    struct Options
    {
        QString keyPrefix = QStringLiteral("mmv:");
        /// Names this instance's registry keys; empty: a random id.
        QString instanceId;
        int chatMaxLen = 10000; ///< messages kept per session (at least; trimmed in blocks)
        int journalMaxLen = 10000; ///< journal entries kept; journal() answers at most this
        int bufferLimit = 100000; ///< writes waiting for Redis, at most
        qint64 bufferBytesLimit = qint64(256) * 1024 * 1024; ///< and their size, at most
        int registryTtlMs = 30000;
        int registryRefreshMs = 10000;
        int reconnectMinMs = 100;
        int reconnectMaxMs = 5000;
        int connectTimeoutMs = 3000;
        int readTimeoutMs = 2000;
        /// A command unanswered for this long means the connection is dead: reconnect.
        int commandTimeoutMs = 10000;
        int closeTimeoutMs = 3000;
        int maxInFlight = 256; ///< commands sent and not yet answered, at most
        int cacheChatPerSession = 200;
        int cacheSessions = 1000;
        int cacheVideos = 1000;
        int cacheJournal = 1000;
    };

    explicit RedisStore(const QString &url, QObject *parent = nullptr);
    RedisStore(const QString &url, const Options &options, QObject *parent = nullptr);
    ~RedisStore() override;

    QString instanceId() const;
    RedisEndpoint endpoint() const;

    QString kind() const override;
    QString health() const override;
    /// Fails only for an invalid URL; starts connecting. Writes made before open() wait in the
    /// queue. A closed store cannot be opened again.
    Status open() override;
    void close() override;

    void appendChatMessage(const QString &sessionId, const QJsonObject &message) override;
    void chatHistory(const QString &sessionId, int limit, Reply<QList<QJsonObject>> reply) override;

    void setLatestStatus(const QString &videoId, const QJsonObject &status) override;
    void latestStatus(const QString &videoId, Reply<std::optional<QJsonObject>> reply) override;

    void appendResult(const QString &videoId, const QJsonObject &result) override;
    void results(const QString &videoId, Reply<QList<QJsonObject>> reply) override;
    void clearVideo(const QString &videoId) override;

    void registerConnection(const QString &socketId, const QJsonObject &info) override;
    void unregisterConnection(const QString &socketId) override;
    void connections(Reply<QList<QJsonObject>> reply) override;

    void appendJournal(const QJsonObject &entry) override;
    void journal(int limit, Reply<QList<QJsonObject>> reply) override;

    qint64 droppedWrites() const override;
    int pendingWrites() const override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mmv::storage
