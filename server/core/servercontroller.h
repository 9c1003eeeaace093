#pragma once

#include "apperror.h"
#include "realtimetypes.h"
#include "servertypes.h"

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
    void disconnectClient(const QString &socketId);
    void joinRoom(const QString &socketId, const QString &room);
    void leaveRoom(const QString &socketId, const QString &room);
    /// Emits `event` to everybody (room and socketId empty), a room, or one socket.
    void emitEvent(const QString &event, const QJsonValue &data, const QString &room = {},
                   const QString &socketId = {});

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
