#pragma once

#include "apperror.h"
#include "realtimetypes.h"
#include "servertypes.h"
#include "videotypes.h"

#include <QJsonObject>
#include <QJsonValue>

#include <QObject>
#include <QPointer>
#include <QThread>

namespace mmv {

class ServerRuntime;

/// The facade the dashboard and app/ use to run the server.
///
/// It owns the network thread: every socket, the HTTP front and the real-time engine live
/// in that thread and are created there. This object lives in the caller's (GUI) thread and
/// only exchanges value types with the network thread through queued calls and signals.
class ServerController : public QObject
{
    Q_OBJECT

public:
    explicit ServerController(QObject *parent = nullptr);
    ~ServerController() override;

    /// Starts the network thread and binds the port. Blocks only until the socket is bound
    /// or binding failed (a few milliseconds); returns the failure as an error value.
    Status start(const ServerConfig &config);

    /// Stops accepting connections, lets in-flight responses finish for up to `graceMs`,
    /// closes everything and joins the network thread. Safe to call when not running.
    void stop(int graceMs = 5000);

    /// Identifies one operator request; its actionFinished answer carries the same id.
    /// Ids start at 1 and increase; 0 means "no request".
    using RequestId = quint64;

    // Operator actions; each runs in the network thread and answers with actionFinished,
    // which carries the id returned here (answers may come in any order).
    /// Starts or stops the stream of packet records (eventsRecorded).
    void setEventTapEnabled(bool enabled);
    /// Asks for a snapshot of the connections and rooms (connectionsListed).
    void requestConnections();
    /// Asks for one connection with its handshake (connectionDetailLoaded).
    void requestConnectionDetail(const QString &socketId);
    RequestId disconnectClient(const QString &socketId);
    RequestId joinRoom(const QString &socketId, const QString &room);
    RequestId leaveRoom(const QString &socketId, const QString &room);
    /// Emits `event` to everybody (room and socketId empty), a room, or one socket.
    RequestId emitEvent(const QString &event, const QJsonValue &data, const QString &room = {},
                        const QString &socketId = {});

    // The video library and analysis (answers: videosListed, videoAdded, actionFinished...).
    void requestVideos();
    /// Adds a local file (copied into the data directory after probing).
    RequestId addVideoFile(const QString &path);
    /// Stops adding the file of request `addRequest` if it is not in the library yet; that
    /// request is then answered "cancelled".
    void cancelAddVideoFile(RequestId addRequest);
    RequestId startAnalysis(const QString &videoId);
    RequestId cancelAnalysis(const QString &videoId);
    RequestId deleteVideo(const QString &videoId);
    /// Asks for the latest status and the results so far of one video (videoStateLoaded).
    void requestVideoState(const QString &videoId);
    /// Where keyframe `index` of a video is stored (readable from the GUI thread).
    QString keyframePath(const QString &videoId, int index) const;

    // Chat as the operator.
    /// Loads a session's history (chatHistoryLoaded); new messages come with chatMessagesPosted.
    RequestId joinChat(const QString &sessionId);
    RequestId postChat(const QString &sessionId, const QString &text);
    /// Replaces the tokens the server accepts (after they were regenerated in the settings).
    void setTokens(const QString &operatorToken, const QString &viewerToken);

    ServerState state() const { return m_state; }
    ServerStats stats() const { return m_stats; }
    ServerConfig config() const { return m_config; }

Q_SIGNALS:
    void stateChanged(const mmv::ServerState &state);
    /// Sampled once a second while listening.
    void statsUpdated(const mmv::ServerStats &stats);
    /// Packet records in batches (at most every 100 ms) while the tap is enabled.
    void eventsRecorded(const QList<mmv::EventRecord> &records);
    void connectionsListed(const QList<mmv::ConnectionInfo> &connections,
                           const QList<mmv::RoomInfo> &rooms);
    /// The outcome of the operator request `requestId`: what was done, how many sockets it
    /// reached, or why it failed.
    void actionFinished(const QString &action, int delivered, const QString &error,
                        mmv::ServerController::RequestId requestId);
    /// How much of a long request is done (0..1; adding a video that is copied), before its
    /// actionFinished.
    void actionProgress(const QString &action, double fraction,
                        mmv::ServerController::RequestId requestId);
    /// The answer to requestConnectionDetail; `found` is false when the socket is gone.
    void connectionDetailLoaded(const QString &socketId, bool found,
                                const mmv::ConnectionInfo &connection);
    void videosListed(const QList<mmv::VideoInfo> &videos);
    void videoAdded(const mmv::VideoInfo &video);
    void videoRemoved(const QString &videoId);
    void processingStatusChanged(const QJsonObject &status);
    void analysisResultFound(const QJsonObject &result);
    void contentUpdated(const QJsonObject &update);
    void videoStateLoaded(const QString &videoId, const QJsonObject &status,
                          const QList<QJsonObject> &results);
    void chatHistoryLoaded(const QString &sessionId, const QList<QJsonObject> &messages);
    /// Chat messages of every session as they are posted, in batches (at most every 50 ms).
    void chatMessagesPosted(const QList<QJsonObject> &messages);

private:
    void setState(const ServerState &state);
    template<typename F>
    void inNetworkThread(F &&function);
    /// Runs `function(runtime, id)` in the network thread with a fresh request id; answers
    /// "server not running" itself when there is no runtime.
    template<typename F>
    RequestId request(const QString &action, F &&function);

    ServerConfig m_config;
    ServerState m_state;
    ServerStats m_stats;
    QThread m_thread;
    QPointer<ServerRuntime> m_runtime;
    RequestId m_lastRequestId = 0;
};

} // namespace mmv
