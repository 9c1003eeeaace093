#pragma once

#include "server/core/apperror.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>

#include <deque>
#include <functional>

namespace mmv::storage {
class Store;
}
namespace mmv::socketio {
class Namespace;
class SioSocket;
} // namespace mmv::socketio

namespace mmv::realtime {

/// Who posts a chat message.
struct ChatAuthor
{
    QString id;
    QString name;
    QString role; ///< "viewer" or "operator"; empty for the server itself
};

/// Chat sessions: members are the sockets in room "chat:<session_id>". Messages get a
/// server-assigned id, sequence number and timestamp, in one total order per session, are
/// stored, and reach every member (the sender too). A resend with the same client_msg_id
/// returns the message posted the first time instead of posting twice.
class ChatService : public QObject
{
    Q_OBJECT

public:
    static constexpr int HistoryOnJoin = 50;
    static constexpr int MaxTextLength = 4000;
    static constexpr int MaxHistoryLimit = 500;
    /// Sessions whose recent history is kept in memory; past this, the least recently used
    /// sessions without members are dropped from memory (their history stays in the store
    /// and is loaded again when they are used).
    static constexpr int DefaultMaxCachedSessions = 1000;

    ChatService(socketio::Namespace *nsp, storage::Store *store, QObject *parent = nullptr);

    void setMaxCachedSessions(int max) { m_maxCachedSessions = qMax(1, max); }
    int cachedSessions() const { return int(m_sessions.size()); }

    static QString roomFor(const QString &sessionId) { return QStringLiteral("chat:") + sessionId; }

    /// Joins the socket to the session; `done` receives the last HistoryOnJoin messages.
    /// `done` receives an Unavailable error when the session's history cannot be loaded
    /// (Redis down and the session not cached here): answering an empty history or
    /// restarting the order would be wrong.
    void join(socketio::SioSocket *socket, const QString &sessionId,
              std::function<void(Result<QList<QJsonObject>> history)> done);
    void leave(socketio::SioSocket *socket, const QString &sessionId);

    /// Posts a message; `kind` is "user", "operator", "assistant" or "system". `done`
    /// receives the stored message (the original one for a duplicate client_msg_id).
    void post(const ChatAuthor &author, const QString &kind, const QString &sessionId,
              const QString &text, const QString &clientMessageId,
              std::function<void(Result<QJsonObject> message, bool duplicate)> done);

    /// The last `limit` messages, oldest first.
    void history(const QString &sessionId, int limit,
                 std::function<void(Result<QList<QJsonObject>> messages)> done);

    /// Members of a session room, for the dashboard.
    int memberCount(const QString &sessionId) const;
    qint64 messagesPosted() const { return m_posted; }

Q_SIGNALS:
    void messagePosted(const QJsonObject &message);

private:
    struct Session
    {
        bool loaded = false;
        bool loading = false;
        qint64 lastUsed = 0; ///< m_useClock when last used, for eviction
        qint64 nextSeq = 1;
        std::deque<QJsonObject> recent; ///< newest last, capped
        QHash<QString, QJsonObject> byClientId;
        std::deque<QString> clientIdOrder;
        QList<std::pair<std::function<void()>, std::function<void(const AppError &)>>> waiting;
    };

    /// Runs `action` once the session's recent history has been loaded from the store.
    void withSession(const QString &sessionId, std::function<void(Session &session)> action,
                     std::function<void(const AppError &error)> unavailable);
    static QList<QJsonObject> lastOf(const std::deque<QJsonObject> &messages, int limit);
    void rememberClientId(Session &session, const QString &clientId, const QJsonObject &message);
    /// Drops idle sessions from memory once there are more than m_maxCachedSessions.
    void evictIdleSessions(const QString &keep);

    socketio::Namespace *m_nsp = nullptr;
    storage::Store *m_store = nullptr;
    QHash<QString, Session> m_sessions;
    qint64 m_useClock = 0;
    int m_maxCachedSessions = DefaultMaxCachedSessions;
    qint64 m_posted = 0;
};

} // namespace mmv::realtime
