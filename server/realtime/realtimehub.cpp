#include "realtimehub.h"

#include "validation.h"

#include "server/core/logging.h"
#include "server/socketio/siopacket.h"
#include "server/socketio/sioserver.h"
#include "server/socketio/siosocket.h"

namespace mmv::realtime {

namespace {

constexpr int MaxNameLength = 64;

/// The first argument of an event as an object, or an error for the ack.
Result<QJsonObject> objectArgument(const socketio::Payload &payload)
{
    if (payload.args.isEmpty() || !payload.args.first().isObject()) {
        return AppError{ ErrorCode::InvalidArgument,
                         QStringLiteral("the first argument must be an object") };
    }
    return payload.args.first().toObject();
}

QJsonArray toArray(const QList<QJsonObject> &objects)
{
    QJsonArray array;
    for (const QJsonObject &object : objects)
        array.append(object);
    return array;
}

} // namespace

QJsonObject okReply(QJsonObject fields)
{
    fields.insert(QStringLiteral("ok"), true);
    return fields;
}

QJsonObject errorReply(const AppError &error)
{
    return QJsonObject{ { QStringLiteral("ok"), false },
                        { QStringLiteral("error"), error.toJson() } };
}

RealtimeHub::RealtimeHub(socketio::SioServer *server, storage::Store *store, AccessControl *access,
                         Limits limits, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_nsp(server->of(QStringLiteral("/")))
    , m_store(store)
    , m_access(access)
    , m_limits(limits)
    , m_chat(new ChatService(m_nsp, store, this))
    , m_videos(new VideoChannels(m_nsp, store, this))
{
    install();
}

Role RealtimeHub::roleOf(const socketio::SioSocket *socket)
{
    const QString role = socket->data().value(QStringLiteral("role")).toString();
    if (role == u"operator")
        return Role::Operator;
    if (role == u"viewer")
        return Role::Viewer;
    return Role::None;
}

int RealtimeHub::activeConnections() const
{
    return m_nsp->socketCount();
}

void RealtimeHub::reject(const socketio::Ack &ack, const AppError &error)
{
    ++m_rejectedEvents;
    ack.send(QJsonArray{ errorReply(error) });
}

bool RealtimeHub::admit(socketio::SioSocket *socket, bool chat, const socketio::Ack &ack)
{
    const auto it = m_buckets.constFind(socket);
    if (it == m_buckets.cend())
        return true;
    Buckets &buckets = **it;
    if (buckets.events.take() && (!chat || buckets.chat.take()))
        return true;
    ++m_rateLimited;
    if (m_rateLimited % 1000 == 1) {
        qCWarning(lcSocketIo) << "rate limiting" << socket->handshake().remoteAddress << "("
                              << m_rateLimited << "events refused so far)";
    }
    reject(ack,
           AppError{ ErrorCode::TooManyRequests, QStringLiteral("slow down: too many events") });
    return false;
}

void RealtimeHub::install()
{
    using socketio::Ack;
    using socketio::Payload;
    using socketio::SioSocket;

    m_nsp->use([this](SioSocket *socket,
                      const QJsonValue &auth) -> std::optional<socketio::ConnectError> {
        QString token = auth.toObject().value(u"token").toString();
        if (token.isEmpty())
            token = socket->handshake().query.queryItemValue(QStringLiteral("token"),
                                                             QUrl::FullyDecoded);
        const Result<Role> role = m_access->authenticate(token, socket->handshake().remoteAddress);
        if (!role) {
            qCInfo(lcSocketIo) << "refused a connection from" << socket->handshake().remoteAddress
                               << ":" << role.error().message;
            return socketio::ConnectError{
                QStringLiteral("unauthorized"),
                QJsonObject{ { QStringLiteral("code"), role.error().codeName() },
                             { QStringLiteral("reason"), role.error().message } }
            };
        }
        socket->data().insert(QStringLiteral("role"), roleName(role.value()));
        return std::nullopt;
    });

    connect(m_nsp, &socketio::Namespace::connected, this, [this](SioSocket *socket) {
        m_buckets.insert(socket,
                         std::make_shared<Buckets>(
                             Buckets{ TokenBucket(m_limits.eventsPerSecond, m_limits.eventBurst),
                                      TokenBucket(m_limits.chatPerSecond, m_limits.chatBurst) }));
    });
    connect(m_nsp, &socketio::Namespace::disconnected, this,
            [this](SioSocket *socket) { m_buckets.remove(socket); });

    onIdEvent(
        QStringLiteral("join_chat_session"), QStringLiteral("session_id"),
        [this](SioSocket *socket, const QString &id, const QJsonObject &, const Ack &ack) {
            m_chat->join(socket, id, [this, ack, id](const Result<QList<QJsonObject>> &history) {
                if (!history)
                    return reject(ack, history.error());
                ack.send(QJsonArray{
                    okReply({ { QStringLiteral("session_id"), id },
                              { QStringLiteral("history"), toArray(history.value()) } }) });
            });
        });

    onIdEvent(QStringLiteral("leave_chat_session"), QStringLiteral("session_id"),
              [this](SioSocket *socket, const QString &id, const QJsonObject &, const Ack &ack) {
                  m_chat->leave(socket, id);
                  ack.send(QJsonArray{ okReply() });
              });

    onIdEvent(
        QStringLiteral("send_chat_message"), QStringLiteral("session_id"),
        [this](SioSocket *socket, const QString &id, const QJsonObject &args, const Ack &ack) {
            const auto text = requireText(args, QStringLiteral("text"), ChatService::MaxTextLength);
            if (!text)
                return reject(ack, text.error());
            const auto clientId = requireText(args, QStringLiteral("client_msg_id"), 128, true);
            if (!clientId)
                return reject(ack, clientId.error());
            const Role role = roleOf(socket);
            const ChatAuthor author{ socket->id(),
                                     socket->data().value(QStringLiteral("name")).toString(),
                                     roleName(role) };
            // The sender receives the message like everybody else: make sure it is a member.
            socket->join(ChatService::roomFor(id));
            m_chat->post(
                author,
                role == Role::Operator ? QStringLiteral("operator") : QStringLiteral("user"), id,
                text.value(), clientId.value(),
                [this, ack](const Result<QJsonObject> &message, bool duplicate) {
                    if (!message)
                        return reject(ack, message.error());
                    QJsonObject reply = okReply({ { QStringLiteral("message"), message.value() } });
                    if (duplicate)
                        reply.insert(QStringLiteral("duplicate"), true);
                    ack.send(QJsonArray{ reply });
                });
        },
        true);

    onIdEvent(
        QStringLiteral("subscribe_processing_updates"), QStringLiteral("video_id"),
        [this](SioSocket *socket, const QString &id, const QJsonObject &, const Ack &ack) {
            m_videos->subscribeProcessing(
                socket, id, [ack](const std::optional<QJsonObject> &status) {
                    ack.send(QJsonArray{ okReply(
                        { { QStringLiteral("status"),
                            status ? QJsonValue(*status) : QJsonValue(QJsonValue::Null) } }) });
                });
        });

    onIdEvent(QStringLiteral("unsubscribe_processing_updates"), QStringLiteral("video_id"),
              [this](SioSocket *socket, const QString &id, const QJsonObject &, const Ack &ack) {
                  m_videos->unsubscribeProcessing(socket, id);
                  ack.send(QJsonArray{ okReply() });
              });

    onIdEvent(QStringLiteral("subscribe_visual_analysis"), QStringLiteral("video_id"),
              [this](SioSocket *socket, const QString &id, const QJsonObject &, const Ack &ack) {
                  m_videos->subscribeVisual(socket, id, [ack](const QList<QJsonObject> &results) {
                      ack.send(QJsonArray{
                          okReply({ { QStringLiteral("results"), toArray(results) } }) });
                  });
              });

    onIdEvent(QStringLiteral("unsubscribe_visual_analysis"), QStringLiteral("video_id"),
              [this](SioSocket *socket, const QString &id, const QJsonObject &, const Ack &ack) {
                  m_videos->unsubscribeVisual(socket, id);
                  ack.send(QJsonArray{ okReply() });
              });

    m_nsp->on(QStringLiteral("set_name"),
              [this](SioSocket *socket, const Payload &payload, const Ack &ack) {
                  if (!admit(socket, false, ack))
                      return;
                  const auto args = objectArgument(payload);
                  const auto name = args
                      ? requireText(args.value(), QStringLiteral("name"), MaxNameLength)
                      : Result<QString>(args.error());
                  if (!name)
                      return reject(ack, name.error());
                  socket->data().insert(QStringLiteral("name"), name.value());
                  ack.send(QJsonArray{
                      okReply({ { QStringLiteral("name"), name.value() },
                                { QStringLiteral("role"),
                                  socket->data().value(QStringLiteral("role")).toString() } }) });
              });

    m_nsp->onAny([this](SioSocket *socket, const QString &event, const Payload &, const Ack &ack) {
        if (!admit(socket, false, ack))
            return;
        reject(ack,
               AppError{ ErrorCode::UnknownEvent,
                         QStringLiteral("unknown event '%1'").arg(event.left(64)) });
    });
}

void RealtimeHub::onIdEvent(const QString &event, const QString &idField, IdEventHandler handler,
                            bool chat)
{
    m_nsp->on(event,
              [this, idField, chat, handler = std::move(handler)](socketio::SioSocket *socket,
                                                                  const socketio::Payload &payload,
                                                                  const socketio::Ack &ack) {
                  if (!admit(socket, chat, ack))
                      return;
                  const auto args = objectArgument(payload);
                  if (!args)
                      return reject(ack, args.error());
                  const auto id = requireId(args.value(), idField);
                  if (!id)
                      return reject(ack, id.error());
                  handler(socket, id.value(), args.value(), ack);
              });
}

Result<int> RealtimeHub::broadcast(const QString &event, const QJsonValue &data,
                                   const QString &room, const QString &socketId)
{
    if (event.isEmpty() || event.size() > 128)
        return AppError{ ErrorCode::InvalidArgument,
                         QStringLiteral("event must be 1-128 characters") };
    if (socketio::isReservedEventName(event))
        return AppError{ ErrorCode::InvalidArgument,
                         QStringLiteral("'%1' is a reserved event name").arg(event) };
    QJsonValue payload = data;
    if (event == u"notification" && data.isObject() && !data.toObject().contains(u"timestamp")) {
        QJsonObject object = data.toObject();
        object.insert(QStringLiteral("timestamp"), timestampNow());
        payload = object;
    }
    const socketio::Payload message{ payload.isUndefined() ? QJsonArray{} : QJsonArray{ payload },
                                     {} };
    if (!socketId.isEmpty()) {
        socketio::SioSocket *socket = m_nsp->socket(socketId);
        if (!socket)
            return AppError{ ErrorCode::NotFound,
                             QStringLiteral("no connected socket '%1'").arg(socketId) };
        socket->emitEvent(event, message);
        return 1;
    }
    socketio::BroadcastTarget target;
    if (!room.isEmpty())
        target.rooms = QStringList{ room };
    return m_nsp->broadcast(target, event, message);
}

} // namespace mmv::realtime
