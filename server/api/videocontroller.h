#pragma once

#include "server/http/router.h"

namespace mmv::analysis {
class JobRunner;
class VideoLibrary;
} // namespace mmv::analysis
namespace mmv::realtime {
class RealtimeHub;
}

namespace mmv::api {

/// The video library over HTTP:
///   POST   /api/v1/videos        (viewer)   multipart/form-data field "file", or a raw
///          video/* body with X-Filename; streamed to disk, probed -> 201 {video...};
///          not a video -> 415 with the reason; over --max-upload -> 413; disk full -> 507
///   GET    /api/v1/videos        (viewer)   {videos: [...]} newest first, with their status
///   GET    /api/v1/videos/{id}   (viewer)   the video and its latest processing_status
///   DELETE /api/v1/videos/{id}   (operator) removes the file and its results
class VideoController
{
public:
    VideoController(analysis::VideoLibrary *library, analysis::JobRunner *jobs,
                    realtime::RealtimeHub *hub, qint64 maxUpload);
    void registerRoutes(http::Router &router);

private:
    void upload(http::HttpRequest &request, const http::HttpResponder &responder);
    void list(const http::HttpResponder &responder);
    void get(const QString &id, const http::HttpResponder &responder);
    void remove(const QString &id, const http::HttpResponder &responder);

    analysis::VideoLibrary *m_library = nullptr;
    analysis::JobRunner *m_jobs = nullptr;
    realtime::RealtimeHub *m_hub = nullptr;
    qint64 m_maxUpload = 0;
};

} // namespace mmv::api
