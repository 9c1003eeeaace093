#include "websocketcontroller.h"

#include "apiauth.h"

#include "server/realtime/realtimehub.h"
#include "server/realtime/validation.h"
#include "server/socketio/sioserver.h"

#include <QJsonArray>

namespace mmv::api {

using realtime::Role;

WebSocketController::WebSocketController(realtime::RealtimeHub *hub, socketio::SioServer *server)
    : m_hub(hub)
    , m_server(server)
{ }

void WebSocketController::registerRoutes(http::Router &router)
{
    realtime::AccessControl *access = m_hub->access();
    router.add(
        "GET", QStringLiteral("/api/v1/websocket/connections"),
        [this](http::HttpRequest &, http::HttpResponder responder) {
            sendJson(responder, 200,
                     { { QStringLiteral("active_connections"), m_hub->activeConnections() } });
        },
        requireRole(access, Role::Viewer));
    router.add(
        "POST", QStringLiteral("/api/v1/websocket/status"),
        [this](http::HttpRequest &request, http::HttpResponder responder) {
            postStatus(request, responder);
        },
        requireRole(access, Role::Operator));
    router.add(
        "POST", QStringLiteral("/api/v1/websocket/visual-analysis"),
        [this](http::HttpRequest &request, http::HttpResponder responder) {
            postVisualAnalysis(request, responder);
        },
        requireRole(access, Role::Operator));
    router.add(
        "POST", QStringLiteral("/api/v1/websocket/broadcast"),
        [this](http::HttpRequest &request, http::HttpResponder responder) {
            postBroadcast(request, responder);
        },
        requireRole(access, Role::Operator));
    router.add(
        "GET", QStringLiteral("/api/v1/websocket/clients"),
        [this](http::HttpRequest &, http::HttpResponder responder) { getClients(responder); },
        requireRole(access, Role::Operator));
}

void WebSocketController::postStatus(const http::HttpRequest &request,
                                     const http::HttpResponder &responder)
{
    QJsonObject body;
    if (!parseJsonBody(request, responder, &body))
        return;
    const auto videoId = realtime::requireId(body, QStringLiteral("video_id"));
    if (!videoId)
        return sendError(responder, videoId.error());
    static const QStringList states
        = { QStringLiteral("queued"), QStringLiteral("running"), QStringLiteral("completed"),
            QStringLiteral("failed"), QStringLiteral("cancelled") };
    const QString state = body.value(u"status").toString();
    if (!states.contains(state)) {
        return sendError(
            responder,
            AppError{ ErrorCode::InvalidArgument,
                      QStringLiteral("status must be one of: ") + states.join(u", ") });
    }
    const auto progress = realtime::optionalNumber(body, QStringLiteral("progress"), 0, 100,
                                                   state == u"completed" ? 100 : 0);
    if (!progress)
        return sendError(responder, progress.error());
    const auto message = realtime::requireText(body, QStringLiteral("message"), 1000, true);
    if (!message)
        return sendError(responder, message.error());
    const auto stage = realtime::requireText(body, QStringLiteral("stage"), 64, true);
    if (!stage)
        return sendError(responder, stage.error());
    const auto jobId = realtime::requireText(body, QStringLiteral("job_id"), 128, true);
    if (!jobId)
        return sendError(responder, jobId.error());
    const auto eta = realtime::optionalNumber(body, QStringLiteral("eta_s"), 0, 1e9, -1);
    if (!eta)
        return sendError(responder, eta.error());

    QJsonObject status{
        { QStringLiteral("video_id"), videoId.value() },
        { QStringLiteral("job_id"),
          jobId.value().isEmpty() ? QStringLiteral("manual") : jobId.value() },
        { QStringLiteral("state"), state },
        { QStringLiteral("stage"), stage.value() },
        { QStringLiteral("progress"), progress.value() },
        { QStringLiteral("message"), message.value() },
        { QStringLiteral("timestamp"), realtime::timestampNow() },
    };
    if (eta.value() >= 0)
        status.insert(QStringLiteral("eta_s"), eta.value());
    const int delivered = m_hub->videos()->publishProcessingStatus(status);
    sendJson(responder, 200, { { QStringLiteral("delivered_to"), delivered } });
}

void WebSocketController::postVisualAnalysis(const http::HttpRequest &request,
                                             const http::HttpResponder &responder)
{
    QJsonObject body;
    if (!parseJsonBody(request, responder, &body))
        return;
    const auto videoId = realtime::requireId(body, QStringLiteral("video_id"));
    if (!videoId)
        return sendError(responder, videoId.error());
    const auto jobId = realtime::requireText(body, QStringLiteral("job_id"), 128, true);
    if (!jobId)
        return sendError(responder, jobId.error());
    const QJsonValue resultsValue = body.value(u"results");
    QJsonArray results;
    if (resultsValue.isArray())
        results = resultsValue.toArray();
    else if (resultsValue.isObject())
        results.append(resultsValue);
    if (results.isEmpty()) {
        return sendError(
            responder,
            AppError{ ErrorCode::InvalidArgument,
                      QStringLiteral("results must be a non-empty array of objects") });
    }
    // Validate everything before publishing anything.
    QList<QJsonObject> published;
    for (qsizetype i = 0; i < results.size(); ++i) {
        const auto invalid = [&](const QString &what) {
            sendError(responder,
                      AppError{ ErrorCode::InvalidArgument,
                                QStringLiteral("results[%1]: %2").arg(i).arg(what) });
        };
        if (!results.at(i).isObject())
            return invalid(QStringLiteral("must be an object"));
        const QJsonObject item = results.at(i).toObject();
        const QString kind = item.value(u"kind").toString();
        if (kind.isEmpty() || kind.size() > 64)
            return invalid(QStringLiteral("kind must be a string of 1-64 characters"));
        if (!item.value(u"start").isDouble() || item.value(u"start").toDouble() < 0)
            return invalid(QStringLiteral("start must be a number of seconds >= 0"));
        if (item.contains(u"end")
            && (!item.value(u"end").isDouble()
                || item.value(u"end").toDouble() < item.value(u"start").toDouble()))
            return invalid(QStringLiteral("end must be a number >= start"));
        if (item.contains(u"data") && !item.value(u"data").isObject())
            return invalid(QStringLiteral("data must be an object"));
        if (item.contains(u"confidence")
            && (!item.value(u"confidence").isDouble() || item.value(u"confidence").toDouble() < 0
                || item.value(u"confidence").toDouble() > 1))
            return invalid(QStringLiteral("confidence must be a number between 0 and 1"));
        QJsonObject result{
            { QStringLiteral("video_id"), videoId.value() },
            { QStringLiteral("job_id"),
              jobId.value().isEmpty() ? QStringLiteral("manual") : jobId.value() },
            { QStringLiteral("kind"), kind },
            { QStringLiteral("start"), item.value(u"start") },
            { QStringLiteral("data"), item.value(u"data").toObject() },
            { QStringLiteral("timestamp"), realtime::timestampNow() },
        };
        if (item.contains(u"end"))
            result.insert(QStringLiteral("end"), item.value(u"end"));
        if (item.contains(u"confidence"))
            result.insert(QStringLiteral("confidence"), item.value(u"confidence"));
        published.append(result);
    }
    int delivered = 0;
    for (const QJsonObject &result : std::as_const(published))
        delivered = m_hub->videos()->publishVisualResult(result);
    sendJson(responder, 200,
             { { QStringLiteral("delivered_to"), delivered },
               { QStringLiteral("published"), int(published.size()) } });
}

void WebSocketController::postBroadcast(const http::HttpRequest &request,
                                        const http::HttpResponder &responder)
{
    QJsonObject body;
    if (!parseJsonBody(request, responder, &body))
        return;
    if (!body.value(u"event").isString())
        return sendError(
            responder,
            AppError{ ErrorCode::InvalidArgument, QStringLiteral("event must be a string") });
    for (const char16_t *field : { u"room", u"sid" }) {
        const QJsonValue value = body.value(QStringView(field));
        if (!value.isUndefined() && !value.isNull() && !value.isString()) {
            return sendError(
                responder,
                AppError{ ErrorCode::InvalidArgument,
                          QStringLiteral("%1 must be a string").arg(QStringView(field)) });
        }
    }
    const Result<int> delivered
        = m_hub->broadcast(body.value(u"event").toString(), body.value(u"data"),
                           body.value(u"room").toString(), body.value(u"sid").toString());
    if (!delivered)
        return sendError(responder, delivered.error());
    sendJson(responder, 200, { { QStringLiteral("delivered_to"), delivered.value() } });
}

void WebSocketController::getClients(const http::HttpResponder &responder)
{
    QJsonArray clients;
    const auto infos = m_server->socketInfos();
    for (const socketio::SocketInfo &info : infos) {
        clients.append(QJsonObject{
            { QStringLiteral("id"), info.id },
            { QStringLiteral("namespace"), info.nsp },
            { QStringLiteral("address"), info.remoteAddress },
            { QStringLiteral("transport"), info.transport },
            { QStringLiteral("user_agent"), info.userAgent },
            { QStringLiteral("name"), info.name },
            { QStringLiteral("role"), info.role },
            { QStringLiteral("rooms"), QJsonArray::fromStringList(info.rooms) },
            { QStringLiteral("connected_at"), info.connectedAt.toString(Qt::ISODateWithMs) },
            { QStringLiteral("messages_in"), double(info.messagesIn) },
            { QStringLiteral("messages_out"), double(info.messagesOut) },
            { QStringLiteral("bytes_in"), double(info.bytesIn) },
            { QStringLiteral("bytes_out"), double(info.bytesOut) },
        });
    }
    sendJson(
        responder, 200,
        { { QStringLiteral("clients"), clients }, { QStringLiteral("count"), clients.size() } });
}

} // namespace mmv::api
