#include "servercontroller.h"

#include "logging.h"
#include "serverruntime.h"

#include "server/http/epolleventdispatcher.h"

namespace mmv {

ServerController::ServerController(QObject *parent)
    : QObject(parent)
{
    registerServerMetaTypes();
    m_thread.setObjectName(QStringLiteral("network"));
}

ServerController::~ServerController()
{
    stop(2000);
}

Status ServerController::start(const ServerConfig &config)
{
    if (m_runtime)
        return AppError{ ErrorCode::Conflict, QStringLiteral("the server is already running") };
    m_config = config;
    ServerState starting;
    starting.status = ServerState::Status::Starting;
    setState(starting);

    auto *runtime = new ServerRuntime(config);
    runtime->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, runtime, &QObject::deleteLater);
    if (auto *dispatcher = http::EpollEventDispatcher::createForNetworkThread())
        m_thread.setEventDispatcher(dispatcher); // epoll: O(ready) per wakeup, not O(open)
    m_thread.start();

    Status result;
    ServerState state;
    QMetaObject::invokeMethod(
        runtime,
        [runtime, &result, &state] {
            result = runtime->start();
            state = runtime->state();
        },
        Qt::BlockingQueuedConnection);

    if (result) {
        m_thread.quit();
        m_thread.wait();
        setState(state);
        return result;
    }
    m_runtime = runtime;
    connect(runtime, &ServerRuntime::statsSampled, this, [this](const ServerStats &stats) {
        m_stats = stats;
        Q_EMIT statsUpdated(stats);
    });
    connect(runtime, &ServerRuntime::stopped, runtime, [] { QThread::currentThread()->quit(); });
    connect(runtime, &ServerRuntime::eventsRecorded, this, &ServerController::eventsRecorded);
    connect(runtime, &ServerRuntime::connectionsListed, this, &ServerController::connectionsListed);
    connect(runtime, &ServerRuntime::connectionDetailLoaded, this,
            &ServerController::connectionDetailLoaded);
    connect(runtime, &ServerRuntime::actionFinished, this, &ServerController::actionFinished);
    connect(runtime, &ServerRuntime::actionProgress, this, &ServerController::actionProgress);
    connect(runtime, &ServerRuntime::videosListed, this, &ServerController::videosListed);
    connect(runtime, &ServerRuntime::videoAdded, this, &ServerController::videoAdded);
    connect(runtime, &ServerRuntime::videoRemoved, this, &ServerController::videoRemoved);
    connect(runtime, &ServerRuntime::processingStatusChanged, this,
            &ServerController::processingStatusChanged);
    connect(runtime, &ServerRuntime::analysisResultFound, this,
            &ServerController::analysisResultFound);
    connect(runtime, &ServerRuntime::contentUpdated, this, &ServerController::contentUpdated);
    connect(runtime, &ServerRuntime::videoStateLoaded, this, &ServerController::videoStateLoaded);
    connect(runtime, &ServerRuntime::chatHistoryLoaded, this, &ServerController::chatHistoryLoaded);
    connect(runtime, &ServerRuntime::chatMessagesPosted, this,
            &ServerController::chatMessagesPosted);
    setState(state);
    return std::nullopt;
}

void ServerController::stop(int graceMs)
{
    if (!m_runtime) {
        if (m_thread.isRunning()) {
            m_thread.quit();
            m_thread.wait();
        }
        return;
    }
    ServerState stopping = m_state;
    stopping.status = ServerState::Status::Stopping;
    setState(stopping);

    ServerRuntime *runtime = m_runtime;
    QMetaObject::invokeMethod(
        runtime, [runtime, graceMs] { runtime->shutdown(graceMs); }, Qt::QueuedConnection);
    if (!m_thread.wait(graceMs + 3000)) {
        qCWarning(lcApp) << "the network thread did not stop in time; forcing it";
        m_thread.quit();
        m_thread.wait();
    }
    m_runtime = nullptr;
    ServerState stopped = m_state;
    stopped.status = ServerState::Status::Stopped;
    stopped.urls.clear();
    setState(stopped);
}

template<typename F>
void ServerController::inNetworkThread(F &&function)
{
    if (ServerRuntime *runtime = m_runtime)
        QMetaObject::invokeMethod(
            runtime, [runtime, function = std::forward<F>(function)] { function(runtime); },
            Qt::QueuedConnection);
}

void ServerController::setEventTapEnabled(bool enabled)
{
    inNetworkThread([enabled](ServerRuntime *runtime) { runtime->setEventTapEnabled(enabled); });
}

void ServerController::requestConnections()
{
    inNetworkThread([](ServerRuntime *runtime) { runtime->listConnections(); });
}

void ServerController::requestConnectionDetail(const QString &socketId)
{
    inNetworkThread(
        [socketId](ServerRuntime *runtime) { runtime->loadConnectionDetail(socketId); });
}

template<typename F>
ServerController::RequestId ServerController::request(const QString &action, F &&function)
{
    const RequestId id = ++m_lastRequestId;
    if (ServerRuntime *runtime = m_runtime) {
        QMetaObject::invokeMethod(
            runtime, [runtime, id, function = std::forward<F>(function)] { function(runtime, id); },
            Qt::QueuedConnection);
    } else {
        // Answered like any other request (queued, so the caller has the id first).
        QMetaObject::invokeMethod(
            this,
            [this, action, id] {
                Q_EMIT actionFinished(action, 0, QStringLiteral("the server is not running"), id);
            },
            Qt::QueuedConnection);
    }
    return id;
}

ServerController::RequestId ServerController::disconnectClient(const QString &socketId)
{
    return request(QStringLiteral("disconnect"), [socketId](ServerRuntime *runtime, RequestId id) {
        runtime->disconnectClient(socketId, id);
    });
}

ServerController::RequestId ServerController::joinRoom(const QString &socketId, const QString &room)
{
    return request(QStringLiteral("join"), [socketId, room](ServerRuntime *runtime, RequestId id) {
        runtime->joinRoom(socketId, room, id);
    });
}

ServerController::RequestId ServerController::leaveRoom(const QString &socketId,
                                                        const QString &room)
{
    return request(QStringLiteral("leave"), [socketId, room](ServerRuntime *runtime, RequestId id) {
        runtime->leaveRoom(socketId, room, id);
    });
}

ServerController::RequestId ServerController::emitEvent(const QString &event,
                                                        const QJsonValue &data, const QString &room,
                                                        const QString &socketId)
{
    return request(QStringLiteral("emit"), [=](ServerRuntime *runtime, RequestId id) {
        runtime->emitEvent(event, data, room, socketId, id);
    });
}

void ServerController::requestVideos()
{
    inNetworkThread([](ServerRuntime *runtime) { runtime->listVideos(); });
}

ServerController::RequestId ServerController::addVideoFile(const QString &path)
{
    return request(
        ServerRuntime::addVideoAction(path),
        [path](ServerRuntime *runtime, RequestId id) { runtime->addVideoFile(path, id); });
}

void ServerController::cancelAddVideoFile(RequestId addRequest)
{
    inNetworkThread(
        [addRequest](ServerRuntime *runtime) { runtime->cancelAddVideoFile(addRequest); });
}

ServerController::RequestId ServerController::startAnalysis(const QString &videoId)
{
    return request(QStringLiteral("analyze"), [videoId](ServerRuntime *runtime, RequestId id) {
        runtime->startAnalysis(videoId, id);
    });
}

ServerController::RequestId ServerController::cancelAnalysis(const QString &videoId)
{
    return request(QStringLiteral("cancel"), [videoId](ServerRuntime *runtime, RequestId id) {
        runtime->cancelAnalysis(videoId, id);
    });
}

ServerController::RequestId ServerController::deleteVideo(const QString &videoId)
{
    return request(QStringLiteral("delete"), [videoId](ServerRuntime *runtime, RequestId id) {
        runtime->deleteVideo(videoId, id);
    });
}

void ServerController::requestVideoState(const QString &videoId)
{
    inNetworkThread([videoId](ServerRuntime *runtime) { runtime->loadVideoState(videoId); });
}

QString ServerController::keyframePath(const QString &videoId, int index) const
{
    return QStringLiteral("%1/videos/%2/keyframes/%3.jpg")
        .arg(m_config.dataDir, videoId)
        .arg(index);
}

ServerController::RequestId ServerController::joinChat(const QString &sessionId)
{
    return request(QStringLiteral("join chat"), [sessionId](ServerRuntime *runtime, RequestId id) {
        runtime->joinChat(sessionId, id);
    });
}

ServerController::RequestId ServerController::postChat(const QString &sessionId,
                                                       const QString &text)
{
    return request(QStringLiteral("post"), [sessionId, text](ServerRuntime *runtime, RequestId id) {
        runtime->postChat(sessionId, text, id);
    });
}

void ServerController::setTokens(const QString &operatorToken, const QString &viewerToken)
{
    m_config.operatorToken = operatorToken;
    m_config.viewerToken = viewerToken;
    inNetworkThread([operatorToken, viewerToken](ServerRuntime *runtime) {
        runtime->setTokens(operatorToken, viewerToken);
    });
}

void ServerController::setState(const ServerState &state)
{
    m_state = state;
    Q_EMIT stateChanged(m_state);
}

} // namespace mmv
