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

/// Analysis of library videos over HTTP (viewer role):
///   POST /api/v1/videos/{id}/analyze          202 {job_id, video_id, state}; 409 if under way
///   POST /api/v1/videos/{id}/cancel           200 {job_id, video_id, cancelled: true}
///   GET  /api/v1/videos/{id}/analysis         the full result document once complete; while
///                                             running {complete: false, status, results}
///   GET  /api/v1/videos/{id}/keyframes/{n}.jpg a keyframe (the token may also be given as
///                                             ?token= so that <img> elements can load it)
class AnalysisController
{
public:
    AnalysisController(analysis::VideoLibrary *library, analysis::JobRunner *jobs,
                       realtime::RealtimeHub *hub);
    void registerRoutes(http::Router &router);

private:
    void analyze(const QString &id, const http::HttpResponder &responder);
    void cancel(const QString &id, const http::HttpResponder &responder);
    void document(const QString &id, const http::HttpResponder &responder);
    void keyframe(const http::HttpRequest &request, const http::HttpResponder &responder);

    analysis::VideoLibrary *m_library = nullptr;
    analysis::JobRunner *m_jobs = nullptr;
    realtime::RealtimeHub *m_hub = nullptr;
};

} // namespace mmv::api
