#include "chatcontroller.h"

#include "apiauth.h"

#include "server/realtime/realtimehub.h"
#include "server/realtime/validation.h"

#include <QJsonArray>

namespace mmv::api {

ChatController::ChatController(realtime::RealtimeHub *hub)
    : m_hub(hub)
{ }

void ChatController::registerRoutes(http::Router &router)
{
    router.add(
        "GET", QStringLiteral("/api/v1/chat/{session_id}/messages"),
        [this](http::HttpRequest &request, http::HttpResponder responder) {
            const QString sessionId = request.params.value(QStringLiteral("session_id"));
            if (!realtime::isValidId(sessionId)) {
                return sendError(responder,
                                 AppError{ ErrorCode::InvalidArgument,
                                           QStringLiteral("session_id must be 1-128 characters "
                                                          "of A-Z a-z 0-9 _ . -") });
            }
            int limit = realtime::ChatService::HistoryOnJoin;
            const QString limitText = request.queryValue(QStringLiteral("limit"));
            if (!limitText.isEmpty()) {
                bool ok = false;
                limit = limitText.toInt(&ok);
                if (!ok || limit < 1 || limit > realtime::ChatService::MaxHistoryLimit) {
                    return sendError(responder,
                                     AppError{ ErrorCode::InvalidArgument,
                                               QStringLiteral("limit must be 1-%1")
                                                   .arg(realtime::ChatService::MaxHistoryLimit) });
                }
            }
            m_hub->chat()->history(sessionId, limit,
                                   [responder, sessionId](Result<QList<QJsonObject>> messages) {
                                       if (!messages)
                                           return sendError(responder, messages.error());
                                       QJsonArray array;
                                       for (const QJsonObject &message : messages.value())
                                           array.append(message);
                                       sendJson(responder, 200,
                                                { { QStringLiteral("session_id"), sessionId },
                                                  { QStringLiteral("messages"), array } });
                                   });
        },
        requireRole(m_hub->access(), realtime::Role::Viewer));
}

} // namespace mmv::api
