#include "healthcontroller.h"

namespace mmv::api {

HealthController::HealthController(std::function<HealthSnapshot()> source)
    : m_source(std::move(source))
{ }

QJsonObject HealthController::toJson() const
{
    const HealthSnapshot snapshot = m_source();
    return QJsonObject{
        { QStringLiteral("status"),
          snapshot.redis == u"down" ? QStringLiteral("degraded") : QStringLiteral("ok") },
        { QStringLiteral("version"), QStringLiteral(MMV_VERSION) },
        { QStringLiteral("uptime_s"), snapshot.uptimeSeconds },
        { QStringLiteral("connections"), snapshot.connections },
        { QStringLiteral("storage"), snapshot.storage },
        { QStringLiteral("redis"), snapshot.redis },
    };
}

void HealthController::registerRoutes(http::Router &router)
{
    router.add("GET", QStringLiteral("/api/v1/health"),
               [this](http::HttpRequest &, http::HttpResponder responder) {
                   http::HttpResponse response = http::HttpResponse::json(200, toJson());
                   response.setHeader("Cache-Control", "no-store");
                   responder.send(std::move(response));
               });
}

} // namespace mmv::api
