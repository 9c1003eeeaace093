#include "analysiscontroller.h"

#include "apiauth.h"

#include "server/analysis/jobrunner.h"
#include "server/analysis/videolibrary.h"
#include "server/http/staticfiles.h"
#include "server/realtime/realtimehub.h"

#include <QFileInfo>
#include <QJsonArray>

namespace mmv::api {

AnalysisController::AnalysisController(analysis::VideoLibrary *library, analysis::JobRunner *jobs,
                                       realtime::RealtimeHub *hub)
    : m_library(library)
    , m_jobs(jobs)
    , m_hub(hub)
{ }

void AnalysisController::registerRoutes(http::Router &router)
{
    realtime::AccessControl *access = m_hub->access();
    router.add(
        "POST", QStringLiteral("/api/v1/videos/{id}/analyze"),
        [this](http::HttpRequest &request, http::HttpResponder responder) {
            analyze(request.params.value(QStringLiteral("id")), responder);
        },
        requireRole(access, realtime::Role::Viewer));
    router.add(
        "POST", QStringLiteral("/api/v1/videos/{id}/cancel"),
        [this](http::HttpRequest &request, http::HttpResponder responder) {
            cancel(request.params.value(QStringLiteral("id")), responder);
        },
        requireRole(access, realtime::Role::Viewer));
    router.add(
        "GET", QStringLiteral("/api/v1/videos/{id}/analysis"),
        [this](http::HttpRequest &request, http::HttpResponder responder) {
            document(request.params.value(QStringLiteral("id")), responder);
        },
        requireRole(access, realtime::Role::Viewer));
    http::RouteOptions image;
    image.check = [access](const http::HttpRequest &request) -> Status {
        QString token = request.bearerToken();
        if (token.isEmpty())
            token = request.queryValue(QStringLiteral("token"));
        const Result<realtime::Role> role = access->authenticate(token, request.remoteAddress);
        if (!role)
            return role.error();
        return realtime::AccessControl::require(role.value(), realtime::Role::Viewer);
    };
    router.add(
        "GET", QStringLiteral("/api/v1/videos/{id}/keyframes/{n}.jpg"),
        [this](http::HttpRequest &request, http::HttpResponder responder) {
            keyframe(request, responder);
        },
        image);
}

void AnalysisController::analyze(const QString &id, const http::HttpResponder &responder)
{
    const Result<QString> job = m_jobs->start(id);
    if (!job)
        return sendError(responder, job.error());
    sendJson(responder, 202,
             { { QStringLiteral("job_id"), job.value() },
               { QStringLiteral("video_id"), id },
               { QStringLiteral("state"),
                 m_jobs->isRunning(id) ? QStringLiteral("running") : QStringLiteral("queued") } });
}

void AnalysisController::cancel(const QString &id, const http::HttpResponder &responder)
{
    if (!m_library->video(id))
        return sendError(responder,
                         AppError{ ErrorCode::NotFound, QStringLiteral("no video '%1'").arg(id) });
    const Result<QString> job = m_jobs->cancel(id);
    if (!job)
        return sendError(responder, job.error());
    sendJson(responder, 200,
             { { QStringLiteral("job_id"), job.value() },
               { QStringLiteral("video_id"), id },
               { QStringLiteral("cancelled"), true } });
}

void AnalysisController::document(const QString &id, const http::HttpResponder &responder)
{
    if (!m_library->video(id))
        return sendError(responder,
                         AppError{ ErrorCode::NotFound, QStringLiteral("no video '%1'").arg(id) });
    if (m_jobs->activeJob(id).isEmpty()) {
        Result<QJsonObject> saved = m_jobs->document(id);
        if (saved) {
            QJsonObject document = saved.value();
            document.insert(QStringLiteral("complete"), true);
            return sendJson(responder, 200, document);
        }
        if (saved.error().code != ErrorCode::NotFound)
            return sendError(responder, saved.error());
    }
    // Under way (or never completed): what is known so far.
    realtime::VideoChannels *videos = m_hub->videos();
    videos->latestStatus(id, [videos, id, responder](std::optional<QJsonObject> status) {
        videos->results(id, [status, responder](const QList<QJsonObject> &results) {
            QJsonArray array;
            for (const QJsonObject &result : results)
                array.append(result);
            sendJson(responder, 200,
                     { { QStringLiteral("complete"), false },
                       { QStringLiteral("status"),
                         status ? QJsonValue(*status) : QJsonValue(QJsonValue::Null) },
                       { QStringLiteral("results"), array } });
        });
    });
}

void AnalysisController::keyframe(const http::HttpRequest &request,
                                  const http::HttpResponder &responder)
{
    const QString id = request.params.value(QStringLiteral("id"));
    const QString n = request.params.value(QStringLiteral("n"));
    bool ok = false;
    const int index = n.toInt(&ok);
    if (!ok || index < 0 || n.size() > 6 || !m_library->video(id))
        return sendError(responder,
                         AppError{ ErrorCode::NotFound, QStringLiteral("no such keyframe") });
    const QString path = m_jobs->keyframePath(id, index);
    http::StaticFiles files(QFileInfo(path).absolutePath());
    http::HttpResponse response
        = files.serve(request, QLatin1Char('/') + QFileInfo(path).fileName());
    if (response.status == 200 || response.status == 304)
        response.setHeader("Cache-Control", "private, no-cache");
    responder.send(std::move(response));
}

} // namespace mmv::api
