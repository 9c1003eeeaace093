#pragma once

#include "apperror.h"
#include "realtimetypes.h"
#include "servertypes.h"
#include "videotypes.h"

#include <QJsonObject>

#include <QElapsedTimer>
#include <QObject>

#include <QHash>

#include <memory>

class QTimer;

namespace mmv {

namespace http {
class HttpServer;
class StaticFiles;
} // namespace http
namespace api {
class AnalysisController;
class ChatController;
class HealthController;
class VideoController;
class WebSocketController;
} // namespace api
namespace analysis {
class JobRunner;
class VideoLibrary;
} // namespace analysis
namespace realtime {
class AccessControl;
class RealtimeHub;
} // namespace realtime
namespace storage {
class Store;
} // namespace storage
namespace engineio {
class EngineServer;
} // namespace engineio
namespace socketio {
class SioServer;
} // namespace socketio

/// Everything that runs in the network thread, wired together: the HTTP front, the API
/// controllers and the static browser client. Created in the GUI thread, moved to the
/// network thread before start(); all its children are created there.
class ServerRuntime : public QObject
{
    Q_OBJECT

public:
    explicit ServerRuntime(const ServerConfig &config);
    ~ServerRuntime() override;

    /// Binds and starts serving; call in the network thread.
    Status start();
    /// Graceful stop; emits stopped() when done.
    void shutdown(int graceMs);

    ServerState state() const { return m_state; }
    ServerStats sampleStats() const;

    // Operator actions, called (queued) from the GUI thread; `requestId` comes back in the
    // action's actionFinished.
    void setEventTapEnabled(bool enabled);
    void listConnections();
    void loadConnectionDetail(const QString &socketId);
    void disconnectClient(const QString &socketId, quint64 requestId);
    void joinRoom(const QString &socketId, const QString &room, quint64 requestId);
    void leaveRoom(const QString &socketId, const QString &room, quint64 requestId);
    void emitEvent(const QString &event, const QJsonValue &data, const QString &room,
                   const QString &socketId, quint64 requestId);
    void listVideos();
    void addVideoFile(const QString &path, quint64 requestId);
    /// Stops the addVideoFile() of request `requestId` if it is still under way: it is then
    /// answered "cancelled" (and the file is not added).
    void cancelAddVideoFile(quint64 requestId);
    /// The action addVideoFile() answers as: named, for the operator who added several.
    static QString addVideoAction(const QString &path);
    void startAnalysis(const QString &videoId, quint64 requestId);
    void cancelAnalysis(const QString &videoId, quint64 requestId);
    void deleteVideo(const QString &videoId, quint64 requestId);
    void loadVideoState(const QString &videoId);
    void joinChat(const QString &sessionId, quint64 requestId);
    void postChat(const QString &sessionId, const QString &text, quint64 requestId);
    void setTokens(const QString &operatorToken, const QString &viewerToken);

Q_SIGNALS:
    void statsSampled(const mmv::ServerStats &stats);
    void stopped();
    void eventsRecorded(const QList<mmv::EventRecord> &records);
    void connectionsListed(const QList<mmv::ConnectionInfo> &connections,
                           const QList<mmv::RoomInfo> &rooms);
    /// The outcome of operator request `requestId`: what was done, how many sockets it
    /// reached, or why it failed.
    void actionFinished(const QString &action, int delivered, const QString &error,
                        quint64 requestId);
    /// How much of a long operator request is done (0..1), before its actionFinished.
    void actionProgress(const QString &action, double fraction, quint64 requestId);
    void connectionDetailLoaded(const QString &socketId, bool found,
                                const mmv::ConnectionInfo &connection);
    void videosListed(const QList<mmv::VideoInfo> &videos);
    void videoAdded(const mmv::VideoInfo &video);
    void videoRemoved(const QString &videoId);
    /// processing_status objects of every video, as published.
    void processingStatusChanged(const QJsonObject &status);
    /// visual_analysis_result and content_analysis_update objects of every video.
    void analysisResultFound(const QJsonObject &result);
    void contentUpdated(const QJsonObject &update);
    /// The current state of one video: latest status (empty object if none) and results.
    void videoStateLoaded(const QString &videoId, const QJsonObject &status,
                          const QList<QJsonObject> &results);
    void chatHistoryLoaded(const QString &sessionId, const QList<QJsonObject> &messages);
    /// Every chat message posted in any session.
    /// Batched: at most one signal every ChatBatchMs, not one per message.
    void chatMessagesPosted(const QList<QJsonObject> &messages);

private:
    void markInterruptedJobs();

    ServerConfig m_config;
    ServerState m_state;
    QElapsedTimer m_uptime;
    // Messages of sockets that are gone, so that the totals in ServerStats never go back.
    qint64 m_retiredMessagesIn = 0;
    qint64 m_retiredMessagesOut = 0;
    http::HttpServer *m_http = nullptr;
    engineio::EngineServer *m_engine = nullptr;
    socketio::SioServer *m_sio = nullptr;
    QTimer *m_statsTimer = nullptr;
    static constexpr int ChatBatchMs = 50;
    QTimer *m_chatBatchTimer = nullptr;
    QList<QJsonObject> m_chatBatch;
    std::unique_ptr<http::StaticFiles> m_staticFiles;
    std::unique_ptr<storage::Store> m_store;
    std::unique_ptr<realtime::AccessControl> m_access;
    realtime::RealtimeHub *m_hub = nullptr;
    std::unique_ptr<api::HealthController> m_health;
    std::unique_ptr<api::WebSocketController> m_webSocketApi;
    std::unique_ptr<api::ChatController> m_chatApi;
    analysis::VideoLibrary *m_library = nullptr;
    /// The cancel flags of the addVideoFile() requests not answered yet.
    QHash<quint64, CancelFlag> m_addingFiles;
    std::unique_ptr<api::VideoController> m_videoApi;
    analysis::JobRunner *m_jobs = nullptr;
    std::unique_ptr<api::AnalysisController> m_analysisApi;
};

} // namespace mmv
