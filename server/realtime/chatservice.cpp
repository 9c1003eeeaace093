#include "chatservice.h"

#include "validation.h"

#include "server/core/logging.h"
#include "server/socketio/sionamespace.h"
#include "server/socketio/siosocket.h"
#include "server/storage/store.h"

#include <QPointer>
#include <QRandomGenerator>

#include <algorithm>
#include <vector>

namespace mmv::realtime {

namespace {

constexpr int RecentCap = 200;
constexpr int ClientIdCap = 2000;

QString newMessageId()
{
    quint32 words[3];
    QRandomGenerator::global()->fillRange(words);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), 12)
                                   .toBase64(QByteArray::Base64UrlEncoding));
}

} // namespace

ChatService::ChatService(socketio::Namespace *nsp, storage::Store *store, QObject *parent)
    : QObject(parent)
    , m_nsp(nsp)
    , m_store(store)
{ }

QList<QJsonObject> ChatService::lastOf(const std::deque<QJsonObject> &messages, int limit)
{
    QList<QJsonObject> result;
    const qsizetype count = qMin<qsizetype>(limit, qsizetype(messages.size()));
    result.reserve(count);
    for (auto it = messages.end() - count; it != messages.end(); ++it)
        result.append(*it);
    return result;
}

void ChatService::withSession(const QString &sessionId, std::function<void(Session &)> action,
                              std::function<void(const AppError &)> unavailable)
{
    if (m_sessions.size() >= m_maxCachedSessions && !m_sessions.contains(sessionId))
        evictIdleSessions(sessionId);
    Session &session = m_sessions[sessionId];
    session.lastUsed = ++m_useClock;
    if (session.loaded) {
        action(session);
        return;
    }
    session.waiting.append(
        { [this, sessionId, action = std::move(action)] { action(m_sessions[sessionId]); },
          std::move(unavailable) });
    if (session.loading)
        return;
    session.loading = true;
    QPointer<ChatService> self(this);
    m_store->chatHistory(
        sessionId, RecentCap, [self, sessionId](Result<QList<QJsonObject>> stored) {
            if (!self)
                return;
            Session &s = self->m_sessions[sessionId];
            s.loading = false;
            const auto waiting = std::exchange(s.waiting, {});
            if (!stored) {
                // Not loaded: the next request tries again.
                qCWarning(lcApp) << "chat history of" << sessionId
                                 << "is unavailable:" << stored.error().message;
                const AppError error{
                    ErrorCode::Unavailable,
                    QStringLiteral(
                        "the chat history is unavailable right now; try again shortly")
                };
                for (const auto &entry : waiting)
                    entry.second(error);
                return;
            }
            for (const QJsonObject &message : stored.value()) {
                s.recent.push_back(message);
                s.nextSeq = qMax(s.nextSeq, qint64(message.value(u"seq").toDouble()) + 1);
                const QString clientId = message.value(u"client_msg_id").toString();
                if (!clientId.isEmpty())
                    self->rememberClientId(s, clientId, message);
            }
            s.loaded = true;
            for (const auto &entry : waiting)
                entry.first();
        });
}

void ChatService::evictIdleSessions(const QString &keep)
{
    // Evict a tenth at once so the scan runs once per many new sessions, not for each.
    std::vector<std::pair<qint64, QString>> idle;
    for (auto it = m_sessions.cbegin(); it != m_sessions.cend(); ++it) {
        const Session &s = it.value();
        if (it.key() != keep && !s.loading && s.waiting.isEmpty() && memberCount(it.key()) == 0)
            idle.emplace_back(s.lastUsed, it.key());
    }
    const qsizetype target = m_maxCachedSessions - qMax(1, m_maxCachedSessions / 10);
    const qsizetype excess = qMin<qsizetype>(qsizetype(idle.size()), m_sessions.size() - target);
    if (excess <= 0)
        return;
    std::partial_sort(idle.begin(), idle.begin() + excess, idle.end());
    for (qsizetype i = 0; i < excess; ++i)
        m_sessions.remove(idle[size_t(i)].second);
    qCDebug(lcApp) << "chat: dropped" << excess << "idle sessions from memory," << m_sessions.size()
                   << "kept";
}

void ChatService::rememberClientId(Session &session, const QString &clientId,
                                   const QJsonObject &message)
{
    if (!session.byClientId.contains(clientId))
        session.clientIdOrder.push_back(clientId);
    session.byClientId.insert(clientId, message);
    while (session.clientIdOrder.size() > ClientIdCap) {
        session.byClientId.remove(session.clientIdOrder.front());
        session.clientIdOrder.pop_front();
    }
}

void ChatService::join(socketio::SioSocket *socket, const QString &sessionId,
                       std::function<void(Result<QList<QJsonObject>>)> done)
{
    QPointer<socketio::SioSocket> guard(socket);
    withSession(
        sessionId,
        [guard, sessionId, done](Session &session) {
            if (!guard || !guard->isConnected())
                return;
            // Join and answer in the same turn: no message can fall between history and live.
            guard->join(roomFor(sessionId));
            done(lastOf(session.recent, HistoryOnJoin));
        },
        [done](const AppError &error) { done(error); });
}

void ChatService::leave(socketio::SioSocket *socket, const QString &sessionId)
{
    socket->leave(roomFor(sessionId));
}

void ChatService::post(const ChatAuthor &author, const QString &kind, const QString &sessionId,
                       const QString &text, const QString &clientMessageId,
                       std::function<void(Result<QJsonObject>, bool)> done)
{
    withSession(
        sessionId,
        [=, this](Session &session) {
            if (!clientMessageId.isEmpty()) {
                const auto it = session.byClientId.constFind(clientMessageId);
                if (it != session.byClientId.cend()) {
                    done(*it, true);
                    return;
                }
            }
            QJsonObject authorObject{ { QStringLiteral("id"), author.id },
                                      { QStringLiteral("name"), author.name } };
            if (!author.role.isEmpty())
                authorObject.insert(QStringLiteral("role"), author.role);
            QJsonObject message{
                { QStringLiteral("id"), newMessageId() },
                { QStringLiteral("seq"), double(session.nextSeq++) },
                { QStringLiteral("session_id"), sessionId },
                { QStringLiteral("author"), authorObject },
                { QStringLiteral("kind"), kind },
                { QStringLiteral("text"), text },
                { QStringLiteral("timestamp"), timestampNow() },
            };
            if (!clientMessageId.isEmpty()) {
                message.insert(QStringLiteral("client_msg_id"), clientMessageId);
                rememberClientId(session, clientMessageId, message);
            }
            session.recent.push_back(message);
            while (session.recent.size() > RecentCap)
                session.recent.pop_front();
            ++m_posted;
            m_store->appendChatMessage(sessionId, message);
            m_nsp->broadcast(socketio::BroadcastTarget{ { roomFor(sessionId) }, {} },
                             QStringLiteral("chat_message"),
                             socketio::Payload{ QJsonArray{ message }, {} });
            Q_EMIT messagePosted(message);
            done(message, false);
        },
        [done](const AppError &error) { done(error, false); });
}

void ChatService::history(const QString &sessionId, int limit,
                          std::function<void(Result<QList<QJsonObject>>)> done)
{
    limit = qBound(1, limit, MaxHistoryLimit);
    withSession(
        sessionId,
        [this, sessionId, limit, done = std::move(done)](Session &session) {
            if (limit <= int(session.recent.size()) || session.recent.size() < RecentCap) {
                done(lastOf(session.recent, limit)); // the cache holds everything asked for
                return;
            }
            // Older than the cache: ask the store, and add what the cache has that the store
            // may not have yet (writes still buffered while Redis is down).
            const QList<QJsonObject> cached = lastOf(session.recent, limit);
            m_store->chatHistory(
                sessionId, limit, [cached, limit, done](Result<QList<QJsonObject>> stored) {
                    if (!stored) {
                        done(cached);
                        return;
                    }
                    QList<QJsonObject> merged = stored.value();
                    const double lastStored
                        = merged.isEmpty() ? 0 : merged.constLast().value(u"seq").toDouble();
                    for (const QJsonObject &message : cached) {
                        if (message.value(u"seq").toDouble() > lastStored)
                            merged.append(message);
                    }
                    done(merged.mid(qMax<qsizetype>(0, merged.size() - limit)));
                });
        },
        [done](const AppError &error) { done(error); });
}

int ChatService::memberCount(const QString &sessionId) const
{
    return m_nsp->memberCount(roomFor(sessionId));
}

} // namespace mmv::realtime
