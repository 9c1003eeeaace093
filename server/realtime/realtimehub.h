#pragma once

#include "accesscontrol.h"
#include "chatservice.h"
#include "ratelimiter.h"
#include "videochannels.h"

#include "server/socketio/siotypes.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace mmv::storage {
class Store;
}
namespace mmv::socketio {
class Namespace;
class SioServer;
} // namespace mmv::socketio

namespace mmv::realtime {

/// The application's public Socket.IO interface on the main namespace (PROTOCOL.md):
/// authentication at CONNECT, chat sessions, processing and visual subscriptions, set_name,
/// and an ack error for anything else. Every client event takes an optional ack answered
/// {ok: true, ...} or {ok: false, error: {code, message}}; a mistake never closes the
/// connection. Events are rate-limited per socket.
class RealtimeHub : public QObject
{
    Q_OBJECT

public:
    struct Limits
    {
        double eventsPerSecond = 50; ///< any event, per socket
        double eventBurst = 100;
        double chatPerSecond = 5; ///< send_chat_message, per socket
        double chatBurst = 20;

        /// Limits from per-second rates (0: no limit), with the default burst factors.
        static Limits fromRates(double eventsPerSecond, double chatPerSecond)
        {
            return Limits{ eventsPerSecond, qMax(1.0, 2 * eventsPerSecond), chatPerSecond,
                           qMax(1.0, 4 * chatPerSecond) };
        }
    };

    RealtimeHub(socketio::SioServer *server, storage::Store *store, AccessControl *access,
                Limits limits, QObject *parent = nullptr);
    RealtimeHub(socketio::SioServer *server, storage::Store *store, AccessControl *access,
                QObject *parent = nullptr)
        : RealtimeHub(server, store, access, Limits{}, parent)
    { }

    ChatService *chat() const { return m_chat; }
    VideoChannels *videos() const { return m_videos; }
    socketio::Namespace *mainNamespace() const { return m_nsp; }
    AccessControl *access() const { return m_access; }

    /// Emits `event` with `data` to everybody, one room or one socket (by id); returns the
    /// number of sockets reached. A `notification` without timestamp gets one.
    Result<int> broadcast(const QString &event, const QJsonValue &data, const QString &room,
                          const QString &socketId);

    int activeConnections() const;
    qint64 rateLimited() const { return m_rateLimited; }
    qint64 rejectedEvents() const { return m_rejectedEvents; }

    static Role roleOf(const socketio::SioSocket *socket);

private:
    /// Handles an event whose first argument is an object with the id field `idField`:
    /// admission (rate limits), argument and id validation are done before `handler` runs.
    using IdEventHandler = std::function<void(socketio::SioSocket *socket, const QString &id,
                                              const QJsonObject &args, const socketio::Ack &ack)>;
    void onIdEvent(const QString &event, const QString &idField, IdEventHandler handler,
                   bool chat = false);
    void install();
    bool admit(socketio::SioSocket *socket, bool chat, const socketio::Ack &ack);
    void reject(const socketio::Ack &ack, const AppError &error);

    socketio::SioServer *m_server = nullptr;
    socketio::Namespace *m_nsp = nullptr;
    storage::Store *m_store = nullptr;
    AccessControl *m_access = nullptr;
    Limits m_limits;
    ChatService *m_chat = nullptr;
    VideoChannels *m_videos = nullptr;
    struct Buckets
    {
        TokenBucket events;
        TokenBucket chat;
    };
    QHash<socketio::SioSocket *, std::shared_ptr<Buckets>> m_buckets;
    qint64 m_rateLimited = 0;
    qint64 m_rejectedEvents = 0;
};

/// {ok: true} plus `fields`.
QJsonObject okReply(QJsonObject fields = {});
/// {ok: false, error: {code, message}}.
QJsonObject errorReply(const AppError &error);

} // namespace mmv::realtime
