#pragma once

#include "server/http/router.h"
#include "server/realtime/accesscontrol.h"

namespace mmv::api {

/// Route options whose head check requires `role` from "Authorization: Bearer <token>":
/// 401 for a missing or wrong token, 403 for a viewer on an operator route, 429 for an
/// address that keeps failing. Checked before any body is read.
http::RouteOptions requireRole(realtime::AccessControl *access, realtime::Role role,
                               qint64 maxBody = -1);

/// Parses the JSON object body or answers the error; returns false when it answered.
bool parseJsonBody(const http::HttpRequest &request, const http::HttpResponder &responder,
                   QJsonObject *object);

/// Answers `error` as {"error": {"code", "message"}} with its HTTP status.
void sendError(const http::HttpResponder &responder, const AppError &error);
void sendJson(const http::HttpResponder &responder, int status, const QJsonObject &object);

} // namespace mmv::api
