#pragma once

#include "server/core/apperror.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace mmv::storage {

/// Durable state of the server behind one interface: chat history, the latest processing
/// status and the results of each video, the connection registry and the event journal.
///
/// Used from the network thread only. Writes are fire-and-forget: a store that cannot write
/// right now (Redis down) buffers them, bounded, and catches up later; losses are counted in
/// droppedWrites() and logged. Reads answer through a callback, which may run before the
/// call returns (FileStore) or later (RedisStore); while Redis is down, reads answer from
/// what the store still has, never hang.
class Store : public QObject
{
    Q_OBJECT

public:
    template<typename T>
    using Reply = std::function<void(Result<T> result)>;

    using QObject::QObject;
    ~Store() override = default;

    /// "file" or "redis".
    virtual QString kind() const = 0;
    /// "disabled" for the file store; "connected" or "down" for Redis.
    virtual QString health() const = 0;

    /// Prepares the store (directories, first connection attempt). Fails only on a
    /// configuration error (unwritable directory, invalid URL); an unreachable Redis is not
    /// an error: the store reports "down" and keeps retrying.
    virtual Status open() = 0;
    /// Flushes what can be flushed and releases resources.
    virtual void close() = 0;

    /// Chat: an append-only log per session; `message` is the chat_message object.
    virtual void appendChatMessage(const QString &sessionId, const QJsonObject &message) = 0;
    /// The last `limit` messages of a session, oldest first.
    virtual void chatHistory(const QString &sessionId, int limit, Reply<QList<QJsonObject>> reply)
        = 0;

    /// Processing: the latest processing_status object of a video, replaced on each update.
    virtual void setLatestStatus(const QString &videoId, const QJsonObject &status) = 0;
    virtual void latestStatus(const QString &videoId, Reply<std::optional<QJsonObject>> reply) = 0;

    /// Results: visual_analysis_result and content_analysis_update objects, in order.
    virtual void appendResult(const QString &videoId, const QJsonObject &result) = 0;
    virtual void results(const QString &videoId, Reply<QList<QJsonObject>> reply) = 0;
    /// Forgets the status and results of a video (when it is deleted or re-analysed).
    virtual void clearVideo(const QString &videoId) = 0;

    /// Connection registry of this instance: entries disappear when unregistered, and (Redis)
    /// expire when the instance that registered them stops refreshing them.
    virtual void registerConnection(const QString &socketId, const QJsonObject &info) = 0;
    virtual void unregisterConnection(const QString &socketId) = 0;
    virtual void connections(Reply<QList<QJsonObject>> reply) = 0;

    /// Event journal (operator actions, broadcasts): append-only and capped.
    virtual void appendJournal(const QJsonObject &entry) = 0;
    /// The last `limit` entries, oldest first.
    virtual void journal(int limit, Reply<QList<QJsonObject>> reply) = 0;

    /// Writes lost for good (buffer overflow while Redis was down, disk errors).
    virtual qint64 droppedWrites() const = 0;
    /// Writes waiting to be written (Redis down or slow).
    virtual int pendingWrites() const = 0;

Q_SIGNALS:
    void healthChanged(const QString &health);
};

/// The store the settings ask for: RedisStore when `redisUrl` is set, else FileStore in
/// `dataDir`.
std::unique_ptr<Store> createStore(const QString &redisUrl, const QString &dataDir);

} // namespace mmv::storage
