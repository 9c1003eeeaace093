#pragma once

#include "server/http/router.h"

namespace mmv::realtime {
class RealtimeHub;
}
namespace mmv::socketio {
class SioServer;
}

namespace mmv::api {

/// The operator's handle on the real-time side, under /api/v1/websocket:
///   GET  connections        (viewer)   {"active_connections": N}
///   POST status             (operator) {video_id, status, progress?, message?, stage?, job_id?,
///   eta_s?}
///                                      -> processing_status to processing:<video_id>
///   POST visual-analysis    (operator) {video_id, results: [..] | {..}, job_id?}
///                                      -> visual_analysis_result to visual:<video_id>
///   POST broadcast          (operator) {event, data, room?, sid?} -> any event
///   GET  clients            (operator) the connected sockets
/// The POSTs answer {delivered_to: N}.
class WebSocketController
{
public:
    WebSocketController(realtime::RealtimeHub *hub, socketio::SioServer *server);
    void registerRoutes(http::Router &router);

private:
    void postStatus(const http::HttpRequest &request, const http::HttpResponder &responder);
    void postVisualAnalysis(const http::HttpRequest &request, const http::HttpResponder &responder);
    void postBroadcast(const http::HttpRequest &request, const http::HttpResponder &responder);
    void getClients(const http::HttpResponder &responder);

    realtime::RealtimeHub *m_hub = nullptr;
    socketio::SioServer *m_server = nullptr;
};

} // namespace mmv::api
