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

    // Operator actions; each runs in the network thread and answers with actionFinished.
    /// Starts or stops the stream of packet records (eventsRecorded).
    void setEventTapEnabled(bool enabled);
    /// Asks for a snapshot of the connections and rooms (connectionsListed).
    void requestConnections();
    /// Asks for one connection with its handshake (connectionDetailLoaded).
    void requestConnectionDetail(const QString &socketId);
    void disconnectClient(const QString &socketId);
    void joinRoom(const QString &socketId, const QString &room);
    void leaveRoom(const QString &socketId, const QString &room);
    /// Emits `event` to everybody (room and socketId empty), a room, or one socket.
    void emitEvent(const QString &event, const QJsonValue &data, const QString &room = {},
                   const QString &socketId = {});

    // The video library and analysis (answers: videosListed, videoAdded, actionFinished...).
    void requestVideos();
    /// Adds a local file (copied into the data directory after probing).
    void addVideoFile(const QString &path);
    void startAnalysis(const QString &videoId);
    void cancelAnalysis(const QString &videoId);
    void deleteVideo(const QString &videoId);
    /// Asks for the latest status and the results so far of one video (videoStateLoaded).
    void requestVideoState(const QString &videoId);
    /// Where keyframe `index` of a video is stored (readable from the GUI thread).
    QString keyframePath(const QString &videoId, int index) const;

    // Chat as the operator.
    /// Loads a session's history (chatHistoryLoaded); new messages come with chatMessagePosted.
    void joinChat(const QString &sessionId);
    void postChat(const QString &sessionId, const QString &text);
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
    void actionFinished(const QString &action, int delivered, const QString &error);
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
    void chatMessagePosted(const QJsonObject &message);

private:
    void setState(const ServerState &state);
    template<typename F>
    void inNetworkThread(F &&function);

    ServerConfig m_config;
    ServerState m_state;
    ServerStats m_stats;
    QThread m_thread;
    QPointer<ServerRuntime> m_runtime;
};

} // namespace mmv
