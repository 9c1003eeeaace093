#include "serverruntime.h"

#include "logging.h"

#include "server/api/healthcontroller.h"
#include "server/engineio/engineserver.h"
#include "server/http/httpserver.h"
#include "server/http/staticfiles.h"
#include "server/socketio/sioserver.h"

#include <QTimer>
#include <QUrl>

namespace mmv {

ServerRuntime::ServerRuntime(const ServerConfig &config)
    : m_config(config)
{ }

ServerRuntime::~ServerRuntime() = default;

Status ServerRuntime::start()
{
    m_state.status = ServerState::Status::Starting;
    m_http = new http::HttpServer(this);
    m_http->setLimits(m_config.http);
    m_http->originPolicy().setAllowedOrigins(m_config.corsOrigins);

    m_engine = new engineio::EngineServer(m_http, engineio::EngineConfig{}, this);
    m_sio = new socketio::SioServer(m_engine, socketio::SioConfig{}, this);

    m_health = std::make_unique<api::HealthController>([this] {
        api::HealthSnapshot snapshot;
        snapshot.uptimeSeconds = m_uptime.isValid() ? m_uptime.elapsed() / 1000 : 0;
        snapshot.connections = m_sio->clientCount();
        snapshot.storage = QStringLiteral("file");
        snapshot.redis = QStringLiteral("disabled");
        return snapshot;
    });
    m_health->registerRoutes(m_http->router());

    m_staticFiles = std::make_unique<http::StaticFiles>(m_config.webRoot);
    m_http->router().add("GET", QStringLiteral("/{*path}"),
                         [this](http::HttpRequest &request, http::HttpResponder responder) {
                             responder.send(m_staticFiles->serve(request, request.path));
                         });

    if (!m_config.redisUrl.isEmpty()) {
        qCWarning(lcRedis) << "Redis storage is not available in this version; using the embedded"
                              " file store in"
                           << m_config.dataDir;
    }

    if (Status error = m_http->listen(m_config.bindAddress, m_config.port)) {
        m_state.status = ServerState::Status::Failed;
        m_state.error = error->message;
        return error;
    }
    connect(m_http, &http::HttpServer::finished, this, [this] {
        m_state.status = ServerState::Status::Stopped;
        Q_EMIT stopped();
    });

    m_uptime.start();
    m_state.status = ServerState::Status::Listening;
    m_state.bindAddress = m_config.bindAddress;
    m_state.port = m_http->port();
    m_state.startedAt = QDateTime::currentDateTimeUtc();
    m_state.storage = QStringLiteral("file");
    m_state.urls.clear();
    const auto addresses = reachableAddresses(m_config.bindAddress);
    for (const QHostAddress &address : addresses)
        m_state.urls.append(urlFor(address, m_state.port));

    m_statsTimer = new QTimer(this);
    m_statsTimer->setInterval(1000);
    connect(m_statsTimer, &QTimer::timeout, this, [this] { Q_EMIT statsSampled(sampleStats()); });
    m_statsTimer->start();
    return std::nullopt;
}

ServerStats ServerRuntime::sampleStats() const
{
    ServerStats stats;
    if (!m_http)
        return stats;
    stats.uptimeSeconds = m_uptime.isValid() ? m_uptime.elapsed() / 1000 : 0;
    stats.httpConnections = m_http->connectionCount();
    stats.webSocketConnections = m_http->webSocketCount();
    stats.realtimeClients = m_sio->clientCount();
    stats.requestsTotal = m_http->requestsTotal();
    stats.bytesIn = m_http->bytesIn();
    stats.bytesOut = m_http->bytesOut();
    return stats;
}

void ServerRuntime::shutdown(int graceMs)
{
    if (m_statsTimer)
        m_statsTimer->stop();
    if (!m_http || m_state.status != ServerState::Status::Listening) {
        Q_EMIT stopped();
        return;
    }
    m_state.status = ServerState::Status::Stopping;
    m_sio->closeAll(); // clients are told, held polls answered
    m_http->shutdown(graceMs);
}

} // namespace mmv
