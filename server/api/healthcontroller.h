#pragma once

#include "server/http/router.h"

#include <functional>

namespace mmv::api {

/// What GET /api/v1/health reports, gathered by whoever owns the server state.
struct HealthSnapshot
{
    qint64 uptimeSeconds = 0;
    int connections = 0;
    QString storage = QStringLiteral("file"); ///< "file" or "redis"
    QString redis = QStringLiteral("disabled"); ///< "connected", "disabled" or "down"
};

/// GET /api/v1/health — no authentication; answers
/// {status, version, uptime_s, connections, storage, redis}. status is "ok", or "degraded"
/// when Redis is configured but down.
class HealthController
{
public:
    explicit HealthController(std::function<HealthSnapshot()> source);
    void registerRoutes(http::Router &router);

    QJsonObject toJson() const;

private:
    std::function<HealthSnapshot()> m_source;
};

} // namespace mmv::api
