#pragma once

#include "server/http/router.h"

namespace mmv::realtime {
class RealtimeHub;
}

namespace mmv::api {

/// GET /api/v1/chat/{session_id}/messages?limit=N (viewer): {session_id, messages}, oldest
/// first; limit 1-500, default 50.
class ChatController
{
public:
    explicit ChatController(realtime::RealtimeHub *hub);
    void registerRoutes(http::Router &router);

private:
    realtime::RealtimeHub *m_hub = nullptr;
};

} // namespace mmv::api
