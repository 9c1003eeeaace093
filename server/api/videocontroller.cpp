#include "videocontroller.h"

#include "apiauth.h"

#include "server/analysis/jobrunner.h"
#include "server/analysis/videolibrary.h"
#include "server/core/logging.h"
#include "server/http/multipartsink.h"
#include "server/realtime/realtimehub.h"

#include <QJsonArray>
#include <QStorageInfo>
#include <QUrl>

namespace mmv::api {

namespace {

/// Space kept free on the data disk whatever the uploads.
constexpr qint64 DiskReserve = 256LL * 1024 * 1024;

bool isAcceptedUploadType(const QByteArray &contentType)
{
    const QByteArray type = contentType.trimmed().toLower();
    return type.startsWith("multipart/form-data") || type.startsWith("video/")
        || type.startsWith("application/octet-stream");
}

} // namespace

VideoController::VideoController(analysis::VideoLibrary *library, analysis::JobRunner *jobs,
                                 realtime::RealtimeHub *hub, qint64 maxUpload)
    : m_library(library)
    , m_jobs(jobs)
    , m_hub(hub)
    , m_maxUpload(maxUpload)
{ }

void VideoController::registerRoutes(http::Router &router)
{
    realtime::AccessControl *access = m_hub->access();
    http::RouteOptions upload = requireRole(access, realtime::Role::Viewer, m_maxUpload);
    const http::HeadCheck authorize = upload.check;
    upload.check = [authorize, this](const http::HttpRequest &head) -> Status {
        if (Status error = authorize(head))
            return error;
        if (!isAcceptedUploadType(head.header("content-type"))) {
            return AppError{ ErrorCode::UnsupportedMediaType,
                             QStringLiteral(
                                 "send multipart/form-data with a 'file' field, or a video/* "
                                 "body with an X-Filename header") };
        }
        const qint64 declared = head.header("content-length").toLongLong();
        const QStorageInfo disk(m_library->uploadDir());
        if (disk.isValid() && disk.bytesAvailable() < declared + DiskReserve) {
            return AppError{ ErrorCode::InsufficientStorage,
                             QStringLiteral("not enough free disk space for this upload") };
        }
        return std::nullopt;
    };
    upload.sink = [this](const http::HttpRequest &head) -> Result<std::shared_ptr<http::BodySink>> {
        auto sink
            = http::UploadSink::create(head.header("content-type"), m_library->newUploadPath());
        if (!sink)
            return sink.error();
        return std::shared_ptr<http::BodySink>(sink.value());
    };
    router.add(
        "POST", QStringLiteral("/api/v1/videos"),
        [this](http::HttpRequest &request, http::HttpResponder responder) {
            this->upload(request, responder);
        },
        upload);
    router.add(
        "GET", QStringLiteral("/api/v1/videos"),
        [this](http::HttpRequest &, http::HttpResponder responder) { list(responder); },
        requireRole(access, realtime::Role::Viewer));
    router.add(
        "GET", QStringLiteral("/api/v1/videos/{id}"),
        [this](http::HttpRequest &request, http::HttpResponder responder) {
            get(request.params.value(QStringLiteral("id")), responder);
        },
        requireRole(access, realtime::Role::Viewer));
    router.add(
        "DELETE", QStringLiteral("/api/v1/videos/{id}"),
        [this](http::HttpRequest &request, http::HttpResponder responder) {
            remove(request.params.value(QStringLiteral("id")), responder);
        },
        requireRole(access, realtime::Role::Operator));
}

void VideoController::upload(http::HttpRequest &request, const http::HttpResponder &responder)
{
    auto sink = std::static_pointer_cast<http::UploadSink>(request.sink);
    if (!sink)
        return sendError(responder,
                         AppError{ ErrorCode::Internal, QStringLiteral("the upload was lost") });
    QString name = sink->fileName();
    if (name.isEmpty())
        name = QUrl::fromPercentEncoding(request.header("x-filename"));
    if (sink->fileSize() == 0)
        return sendError(responder,
                         AppError{ ErrorCode::UnsupportedMediaType,
                                   QStringLiteral("not a video file: the upload is empty") });
    sink->take();
    m_library->addFile(sink->filePath(), name, true, [responder](Result<VideoInfo> added) {
        if (!added)
            return sendError(responder, added.error());
        sendJson(responder, 201, added.value().toJson());
    });
}

void VideoController::list(const http::HttpResponder &responder)
{
    const QList<VideoInfo> videos = m_library->videos();
    auto array = std::make_shared<QList<QJsonObject>>();
    for (const VideoInfo &video : videos)
        array->append(video.toJson());
    auto remaining = std::make_shared<qsizetype>(videos.size());
    const auto finish = [responder, array] {
        QJsonArray result;
        for (const QJsonObject &video : std::as_const(*array))
            result.append(video);
        sendJson(
            responder, 200,
            { { QStringLiteral("videos"), result }, { QStringLiteral("count"), result.size() } });
    };
    if (videos.isEmpty())
        return finish();
    for (qsizetype i = 0; i < videos.size(); ++i) {
        m_hub->videos()->latestStatus(
            videos.at(i).id, [array, i, remaining, finish](std::optional<QJsonObject> status) {
                (*array)[i].insert(QStringLiteral("status"),
                                   status ? QJsonValue(*status) : QJsonValue(QJsonValue::Null));
                if (--*remaining == 0)
                    finish();
            });
    }
}

void VideoController::get(const QString &id, const http::HttpResponder &responder)
{
    const auto video = m_library->video(id);
    if (!video)
        return sendError(responder,
                         AppError{ ErrorCode::NotFound, QStringLiteral("no video '%1'").arg(id) });
    m_hub->videos()->latestStatus(
        id, [responder, json = video->toJson()](std::optional<QJsonObject> status) mutable {
            json.insert(QStringLiteral("status"),
                        status ? QJsonValue(*status) : QJsonValue(QJsonValue::Null));
            sendJson(responder, 200, json);
        });
}

void VideoController::remove(const QString &id, const http::HttpResponder &responder)
{
    if (m_library->video(id) && !m_jobs->activeJob(id).isEmpty())
        m_jobs->cancel(id); // its files go away now
    if (Status error = m_library->remove(id))
        return sendError(responder, *error);
    m_hub->videos()->clearVideo(id);
    sendJson(responder, 200, { { QStringLiteral("deleted"), id } });
}

} // namespace mmv::api
