#include "apiauth.h"

namespace mmv::api {

http::RouteOptions requireRole(realtime::AccessControl *access, realtime::Role role, qint64 maxBody)
{
    http::RouteOptions options;
    options.maxBody = maxBody;
    options.check = [access, role](const http::HttpRequest &request) -> Status {
        const Result<realtime::Role> given
            = access->authenticate(request.bearerToken(), request.remoteAddress);
        if (!given)
            return given.error();
        return realtime::AccessControl::require(given.value(), role);
    };
    return options;
}

bool parseJsonBody(const http::HttpRequest &request, const http::HttpResponder &responder,
                   QJsonObject *object)
{
    const auto parsed = request.jsonObject();
    if (!parsed) {
        sendError(responder, parsed.error());
        return false;
    }
    *object = parsed.value();
    return true;
}

void sendError(const http::HttpResponder &responder, const AppError &error)
{
    responder.send(http::HttpResponse::error(error));
}

void sendJson(const http::HttpResponder &responder, int status, const QJsonObject &object)
{
    http::HttpResponse response = http::HttpResponse::json(status, object);
    response.setHeader("Cache-Control", "no-store");
    responder.send(std::move(response));
}

} // namespace mmv::api
