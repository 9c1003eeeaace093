#include "serverruntime.h"

#include "logging.h"

#include "server/analysis/jobrunner.h"
#include "server/analysis/videolibrary.h"
#include "server/api/analysiscontroller.h"
#include "server/api/chatcontroller.h"
#include "server/api/healthcontroller.h"
#include "server/api/videocontroller.h"
#include "server/api/websocketcontroller.h"
#include "server/engineio/engineserver.h"
#include "server/http/httpserver.h"
#include "server/http/staticfiles.h"
#include "server/realtime/accesscontrol.h"
#include "server/realtime/chatservice.h"
#include "server/realtime/realtimehub.h"
#include "server/realtime/validation.h"
#include "server/realtime/videochannels.h"
#include "server/socketio/sioserver.h"
#include "server/socketio/siosocket.h"
#include "server/storage/store.h"

#include <QFileInfo>
#include <QThread>
#include <QTimer>
#include <QUrl>

namespace mmv {

ServerRuntime::ServerRuntime(const ServerConfig &config)
    : m_config(config)
{ }

ServerRuntime::~ServerRuntime()
{
    // Tear down from the top so nothing calls into a layer that is already gone: clients
    // and sockets first, then the channels, the engine, the HTTP front, and the store last.
    delete m_jobs; // waits for the analysis workers
    delete m_sio;
    delete m_hub;
    delete m_engine;
    delete m_http;
}

Status ServerRuntime::start()
{
    m_state.status = ServerState::Status::Starting;
    m_http = new http::HttpServer(this);
    m_http->setLimits(m_config.http);
    m_http->originPolicy().setAllowedOrigins(m_config.corsOrigins);
    m_http->originPolicy().setExtraHosts(m_config.allowedHosts);
    // Bind first: a port in use is the most common failure and must be reported alone. No
    // connection is served before start() returns to the event loop, fully wired.
    if (Status error = m_http->listen(m_config.bindAddress, m_config.port)) {
        m_state.status = ServerState::Status::Failed;
        m_state.error = error->message;
        return error;
    }

    m_store = storage::createStore(m_config.redisUrl, m_config.dataDir);
    if (Status error = m_store->open()) {
        m_state.status = ServerState::Status::Failed;
        m_state.error = error->message;
        return error;
    }
    m_access = std::make_unique<realtime::AccessControl>(m_config.operatorToken,
                                                         m_config.viewerToken, m_config.noAuth);
    m_engine = new engineio::EngineServer(m_http, engineio::EngineConfig{}, this);
    m_sio = new socketio::SioServer(m_engine, socketio::SioConfig{}, this);
    m_hub = new realtime::RealtimeHub(
        m_sio, m_store.get(), m_access.get(),
        realtime::RealtimeHub::Limits::fromRates(m_config.eventRateLimit, m_config.chatRateLimit),
        this);
    connect(m_sio, &socketio::SioServer::packetsTapped, this, &ServerRuntime::eventsRecorded);
    connect(m_sio->of(QStringLiteral("/")), &socketio::Namespace::disconnected, this,
            [this](socketio::SioSocket *socket) {
                m_retiredMessagesIn += socket->messagesIn();
                m_retiredMessagesOut += socket->messagesOut();
            });

    m_health = std::make_unique<api::HealthController>([this] {
        api::HealthSnapshot snapshot;
        snapshot.uptimeSeconds = m_uptime.isValid() ? m_uptime.elapsed() / 1000 : 0;
        snapshot.connections = m_hub->activeConnections();
        snapshot.storage = m_store->kind();
        snapshot.redis = m_store->health();
        return snapshot;
    });
    m_health->registerRoutes(m_http->router());
    m_webSocketApi = std::make_unique<api::WebSocketController>(m_hub, m_sio);
    m_webSocketApi->registerRoutes(m_http->router());
    m_chatApi = std::make_unique<api::ChatController>(m_hub);
    m_chatApi->registerRoutes(m_http->router());
    m_library = new analysis::VideoLibrary(m_config.dataDir, this);
    if (Status error = m_library->open()) {
        m_state.status = ServerState::Status::Failed;
        m_state.error = error->message;
        return error;
    }
    m_jobs = new analysis::JobRunner(m_library, qMax(1, QThread::idealThreadCount() / 2), {}, this);
    realtime::VideoChannels *videos = m_hub->videos();
    connect(m_jobs, &analysis::JobRunner::statusChanged, videos,
            [videos](const QJsonObject &status) { videos->publishProcessingStatus(status); });
    connect(m_jobs, &analysis::JobRunner::resultFound, videos,
            [videos](const QJsonObject &result) { videos->publishVisualResult(result); });
    connect(m_jobs, &analysis::JobRunner::contentUpdated, videos,
            [videos](const QJsonObject &update) { videos->publishContentUpdate(update); });
    connect(m_jobs, &analysis::JobRunner::analysisStarting, videos,
            [videos](const QString &videoId) { videos->clearVideo(videoId); });
    markInterruptedJobs();
    connect(m_jobs, &analysis::JobRunner::statusChanged, this,
            &ServerRuntime::processingStatusChanged);
    connect(m_jobs, &analysis::JobRunner::resultFound, this, &ServerRuntime::analysisResultFound);
    connect(m_jobs, &analysis::JobRunner::contentUpdated, this, &ServerRuntime::contentUpdated);
    connect(m_library, &analysis::VideoLibrary::videoAdded, this, &ServerRuntime::videoAdded);
    connect(m_library, &analysis::VideoLibrary::videoRemoved, this, &ServerRuntime::videoRemoved);
    m_chatBatchTimer = new QTimer(this);
    m_chatBatchTimer->setSingleShot(true);
    m_chatBatchTimer->setInterval(ChatBatchMs);
    connect(m_chatBatchTimer, &QTimer::timeout, this,
            [this] { Q_EMIT chatMessagesPosted(std::exchange(m_chatBatch, {})); });
    connect(m_hub->chat(), &realtime::ChatService::messagePosted, this,
            [this](const QJsonObject &message) {
                m_chatBatch.append(message);
                if (!m_chatBatchTimer->isActive())
                    m_chatBatchTimer->start();
            });
    m_videoApi
        = std::make_unique<api::VideoController>(m_library, m_jobs, m_hub, m_config.maxUploadBytes);
    m_videoApi->registerRoutes(m_http->router());
    m_analysisApi = std::make_unique<api::AnalysisController>(m_library, m_jobs, m_hub);
    m_analysisApi->registerRoutes(m_http->router());

    m_staticFiles = std::make_unique<http::StaticFiles>(m_config.webRoot);
    m_http->router().add("GET", QStringLiteral("/{*path}"),
                         [this](http::HttpRequest &request, http::HttpResponder responder) {
                             responder.send(m_staticFiles->serve(request, request.path));
                         });

    connect(m_http, &http::HttpServer::finished, this, [this] {
        m_store->close(); // flushes what is buffered
        m_state.status = ServerState::Status::Stopped;
        Q_EMIT stopped();
    });

    m_uptime.start();
    m_state.status = ServerState::Status::Listening;
    m_state.bindAddress = m_config.bindAddress;
    m_state.port = m_http->port();
    m_state.startedAt = QDateTime::currentDateTimeUtc();
    m_state.storage = m_store->kind();
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
    stats.uptimeMs = m_uptime.isValid() ? m_uptime.elapsed() : 0;
    stats.uptimeSeconds = stats.uptimeMs / 1000;
    stats.httpConnections = m_http->connectionCount();
    stats.webSocketConnections = m_http->webSocketCount();
    stats.realtimeClients = m_sio->clientCount();
    stats.storageHealth = m_store->health();
    stats.protocolErrors = m_engine->protocolErrors() + m_sio->malformedPackets();
    stats.unknownAcks = m_sio->unknownAcks();
    stats.rateLimited = m_hub->rateLimited();
    stats.requestsTotal = m_http->requestsTotal();
    stats.bytesIn = m_http->bytesIn();
    stats.bytesOut = m_http->bytesOut();
    stats.eventsNotRecorded = m_sio->tapDropped();
    stats.messagesIn = m_retiredMessagesIn;
    stats.messagesOut = m_retiredMessagesOut;
    const auto namespaces = m_sio->namespaces();
    for (const socketio::Namespace *nsp : namespaces) {
        const auto sockets = nsp->sockets();
        for (const socketio::SioSocket *socket : sockets) {
            stats.messagesIn += socket->messagesIn();
            stats.messagesOut += socket->messagesOut();
        }
    }
    return stats;
}

void ServerRuntime::markInterruptedJobs()
{
    // A job that was queued or running when the previous run ended can never finish: say so,
    // so that clients offer to start it again instead of waiting forever.
    realtime::VideoChannels *videos = m_hub->videos();
    const auto library = m_library->videos();
    for (const VideoInfo &video : library) {
        videos->latestStatus(video.id, [videos, id = video.id](std::optional<QJsonObject> status) {
            const QString state = status ? status->value(u"state").toString() : QString();
            if (state != u"queued" && state != u"running")
                return;
            videos->publishProcessingStatus(analysis::JobRunner::statusObject(
                id, status->value(u"job_id").toString(), QStringLiteral("cancelled"),
                QStringLiteral("interrupted"), 0,
                QStringLiteral("interrupted by a server shutdown; start it again")));
        });
    }
}

void ServerRuntime::setEventTapEnabled(bool enabled)
{
    if (m_sio)
        m_sio->setTapEnabled(enabled);
}

void ServerRuntime::listConnections()
{
    if (m_sio)
        Q_EMIT connectionsListed(m_sio->socketInfos(), m_sio->roomInfos());
}

void ServerRuntime::loadConnectionDetail(const QString &socketId)
{
    const socketio::SioSocket *socket = m_sio ? m_sio->findSocket(socketId) : nullptr;
    Q_EMIT connectionDetailLoaded(socketId, socket != nullptr,
                                  socket ? socket->info(true) : ConnectionInfo{});
}

void ServerRuntime::disconnectClient(const QString &socketId, quint64 requestId)
{
    socketio::SioSocket *socket = m_sio ? m_sio->findSocket(socketId) : nullptr;
    if (!socket) {
        Q_EMIT actionFinished(QStringLiteral("disconnect"), 0,
                              QStringLiteral("no such client: ") + socketId, requestId);
        return;
    }
    socket->disconnectSocket(true);
    Q_EMIT actionFinished(QStringLiteral("disconnect"), 1, QString(), requestId);
}

void ServerRuntime::joinRoom(const QString &socketId, const QString &room, quint64 requestId)
{
    socketio::SioSocket *socket = m_sio ? m_sio->findSocket(socketId) : nullptr;
    if (!socket || room.isEmpty()) {
        Q_EMIT actionFinished(QStringLiteral("join"), 0,
                              QStringLiteral("no such client: ") + socketId, requestId);
        return;
    }
    socket->join(room);
    Q_EMIT actionFinished(QStringLiteral("join"), 1, QString(), requestId);
}

void ServerRuntime::leaveRoom(const QString &socketId, const QString &room, quint64 requestId)
{
    socketio::SioSocket *socket = m_sio ? m_sio->findSocket(socketId) : nullptr;
    if (!socket) {
        Q_EMIT actionFinished(QStringLiteral("leave"), 0,
                              QStringLiteral("no such client: ") + socketId, requestId);
        return;
    }
    socket->leave(room);
    Q_EMIT actionFinished(QStringLiteral("leave"), 1, QString(), requestId);
}

void ServerRuntime::emitEvent(const QString &event, const QJsonValue &data, const QString &room,
                              const QString &socketId, quint64 requestId)
{
    if (!m_hub)
        return;
    const Result<int> delivered = m_hub->broadcast(event, data, room, socketId);
    Q_EMIT actionFinished(QStringLiteral("emit"), delivered ? delivered.value() : 0,
                          delivered ? QString() : delivered.error().message, requestId);
}

void ServerRuntime::listVideos()
{
    if (m_library)
        Q_EMIT videosListed(m_library->videos());
}

QString ServerRuntime::addVideoAction(const QString &path)
{
    return QStringLiteral("add video %1").arg(QFileInfo(path).fileName());
}

void ServerRuntime::addVideoFile(const QString &path, quint64 requestId)
{
    const QString action = addVideoAction(path);
    if (!m_library) {
        Q_EMIT actionFinished(action, 0, QStringLiteral("the video library is not open"),
                              requestId);
        return;
    }
    const CancelFlag cancel = makeCancelFlag();
    m_addingFiles.insert(requestId, cancel);
    m_library->addFile(
        path, QFileInfo(path).fileName(), false,
        [this, action, requestId](Result<VideoInfo> added) {
            m_addingFiles.remove(requestId);
            Q_EMIT actionFinished(action, added ? 1 : 0, added ? QString() : added.error().message,
                                  requestId);
        },
        [this, action, requestId](double copied) {
            Q_EMIT actionProgress(action, copied, requestId);
        },
        cancel);
}

void ServerRuntime::cancelAddVideoFile(quint64 requestId)
{
    if (const auto cancel = m_addingFiles.value(requestId))
        *cancel = true;
}

void ServerRuntime::startAnalysis(const QString &videoId, quint64 requestId)
{
    const Result<QString> job = m_jobs->start(videoId);
    Q_EMIT actionFinished(QStringLiteral("analyze"), job ? 1 : 0,
                          job ? QString() : job.error().message, requestId);
}

void ServerRuntime::cancelAnalysis(const QString &videoId, quint64 requestId)
{
    const Result<QString> job = m_jobs->cancel(videoId);
    Q_EMIT actionFinished(QStringLiteral("cancel"), job ? 1 : 0,
                          job ? QString() : job.error().message, requestId);
}

void ServerRuntime::deleteVideo(const QString &videoId, quint64 requestId)
{
    if (!m_jobs->activeJob(videoId).isEmpty())
        m_jobs->cancel(videoId);
    const Status removed = m_library->remove(videoId);
    if (!removed)
        m_hub->videos()->clearVideo(videoId);
    Q_EMIT actionFinished(QStringLiteral("delete"), removed ? 0 : 1,
                          removed ? removed->message : QString(), requestId);
}

void ServerRuntime::loadVideoState(const QString &videoId)
{
    realtime::VideoChannels *videos = m_hub->videos();
    videos->latestStatus(videoId, [this, videos, videoId](std::optional<QJsonObject> status) {
        videos->results(videoId, [this, videoId, status](const QList<QJsonObject> &results) {
            Q_EMIT videoStateLoaded(videoId, status.value_or(QJsonObject()), results);
        });
    });
}

void ServerRuntime::joinChat(const QString &sessionId, quint64 requestId)
{
    if (!realtime::isValidId(sessionId)) {
        Q_EMIT actionFinished(QStringLiteral("join chat"), 0, QStringLiteral("invalid session id"),
                              requestId);
        return;
    }
    m_hub->chat()->history(sessionId, realtime::ChatService::MaxHistoryLimit,
                           [this, sessionId, requestId](Result<QList<QJsonObject>> messages) {
                               if (!messages) {
                                   Q_EMIT actionFinished(QStringLiteral("join chat"), 0,
                                                         messages.error().message, requestId);
                                   return;
                               }
                               Q_EMIT chatHistoryLoaded(sessionId, messages.value());
                           });
}

void ServerRuntime::postChat(const QString &sessionId, const QString &text, quint64 requestId)
{
    if (!realtime::isValidId(sessionId) || text.trimmed().isEmpty()
        || text.size() > realtime::ChatService::MaxTextLength) {
        Q_EMIT actionFinished(QStringLiteral("post"), 0,
                              QStringLiteral("invalid session id or message text"), requestId);
        return;
    }
    const realtime::ChatAuthor author{ QStringLiteral("dashboard"), QStringLiteral("Operator"),
                                       QStringLiteral("operator") };
    m_hub->chat()->post(author, QStringLiteral("operator"), sessionId, text.trimmed(), QString(),
                        [this, requestId](const Result<QJsonObject> &message, bool) {
                            Q_EMIT actionFinished(QStringLiteral("post"), message ? 1 : 0,
                                                  message ? QString() : message.error().message,
                                                  requestId);
                        });
}

void ServerRuntime::setTokens(const QString &operatorToken, const QString &viewerToken)
{
    if (m_access)
        m_access->setTokens(operatorToken, viewerToken);
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
    // Files being added stop now, not at the end of the grace time: the dashboard already
    // said they were not added.
    for (const CancelFlag &cancel : std::as_const(m_addingFiles))
        *cancel = true;
    m_jobs->shutdown(); // interrupted jobs are reported before the clients go
    m_sio->closeAll(); // clients are told, held polls answered
    m_http->shutdown(graceMs);
}

} // namespace mmv
