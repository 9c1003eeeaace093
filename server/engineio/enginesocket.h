#pragma once

#include "enginepacket.h"

#include "server/http/httpresponse.h"

#include <QDateTime>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QUrlQuery>

class QTcpSocket;
class QWebSocket;

namespace mmv::engineio {

class EngineServer;

enum class Transport { Polling, WebSocket };
QString transportName(Transport transport);

/// Settings of the Engine.IO server; defaults are those of the reference server.
struct EngineConfig
{
    QString path = QStringLiteral("/socket.io/");
    int pingIntervalMs = 25'000;
    int pingTimeoutMs = 20'000;
    int upgradeTimeoutMs = 10'000;
    qint64 maxPayload = 1'000'000;
    bool allowPolling = true;
    bool allowWebSocket = true;
    /// A client that lets this much pile up unread is dropped (slow-consumer protection).
    qint64 maxBufferedBytes = 64LL * 1024 * 1024;
};

/// Request headers kept for a connection's lifetime in one buffer ("name\0value\0"...)
/// rather than two heap strings per header (about 0.7 KiB less per connection). Iterates
/// as (name, value) pairs that view the buffer.
class CompactHeaders
{
public:
    CompactHeaders() = default;
    CompactHeaders(const http::HeaderList &headers);
    CompactHeaders &operator=(const http::HeaderList &headers);

    /// The value of the first header named `name` (lower case, as parsed), or a null array.
    QByteArray value(QByteArrayView name) const;
    http::HeaderList toList() const;
    qsizetype size() const;
    bool isEmpty() const { return m_data.isEmpty(); }

    class const_iterator
    {
    public:
        using value_type = QPair<QByteArray, QByteArray>;
        value_type operator*() const;
        const_iterator &operator++();
        bool operator==(const const_iterator &other) const { return m_pos == other.m_pos; }
        bool operator!=(const const_iterator &other) const { return m_pos != other.m_pos; }

    private:
        friend class CompactHeaders;
        const_iterator(const QByteArray *data, qsizetype pos)
            : m_data(data)
            , m_pos(pos)
        { }
        const QByteArray *m_data = nullptr;
        qsizetype m_pos = 0;
    };
    const_iterator begin() const { return const_iterator(&m_data, 0); }
    const_iterator end() const { return const_iterator(&m_data, m_data.size()); }

private:
    QByteArray m_data;
};

/// How a client arrived: kept for the dashboard and the middleware of upper layers.
struct Handshake
{
    QHostAddress remoteAddress;
    quint16 remotePort = 0;
    QUrlQuery query;
    CompactHeaders headers;
    QDateTime time;
    QString userAgent() const;
};

/// A packet ready to be sent to many sockets: encoded once for each transport.
struct PreparedPacket
{
    Packet packet;
    /// The whole WebSocket frame (header and payload, server frames are unmasked), written
    /// as it is to each recipient's TCP socket: no per-recipient UTF-8 conversion or framing.
    QByteArray webSocketFrame;
    QByteArray pollingRecord; ///< the record inside a polling payload

    static PreparedPacket prepare(Packet packet);
};

/// One Engine.IO connection (a session), over long-polling, WebSocket, or polling upgraded
/// to WebSocket. Sends are buffered and flushed together; the heartbeat is the server's.
/// Closing emits closed() once; the object deletes itself afterwards.
class EngineSocket : public QObject
{
    Q_OBJECT

public:
    EngineSocket(EngineServer *server, QString id, Transport transport, Handshake handshake);
    ~EngineSocket() override;

    QString id() const { return m_id; }
    Transport transport() const { return m_transport; }
    const Handshake &handshake() const { return m_handshake; }
    bool isOpen() const { return m_state == State::Open; }

    /// Sends a message packet (text or binary).
    void send(const Packet &packet);
    void send(const PreparedPacket &packet);
    /// Closes the session with `reason`; the client receives a close packet.
    void close(const QString &reason = QStringLiteral("forced close"));

    qint64 messagesIn() const { return m_messagesIn; }
    qint64 messagesOut() const { return m_messagesOut; }
    qint64 bytesIn() const { return m_bytesIn; }
    qint64 bytesOut() const { return m_bytesOut; }

    // Used by EngineServer.
    void sendOpenPacket(const QStringList &upgrades);
    void handlePoll(http::HttpResponder responder);
    void handlePost(const QByteArray &body, http::HttpResponder responder);
    void attachWebSocket(QWebSocket *socket);
    void attachProbe(QWebSocket *socket);
    bool isUpgrading() const { return !m_probe.isNull(); }
    bool hasPendingPoll() const { return m_poll.isPending(); }

Q_SIGNALS:
    /// A text or binary message packet from the client.
    void messageReceived(const mmv::engineio::Packet &packet);
    void transportUpgraded(mmv::engineio::Transport transport);
    /// `reason` as the reference server names it: "transport close", "ping timeout",
    /// "transport error", "parse error", "forced close", "server shutting down".
    void closed(const QString &reason);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    friend class EngineServer;

    enum class State { Open, Closing, Draining, Closed };

    void handlePacket(const Packet &packet);
    void enqueue(const PreparedPacket &packet);
    void scheduleFlush();
    void flush();
    void answerPoll(const QByteArray &body);
    void sendOnWebSocket(QWebSocket *socket, const PreparedPacket &packet);
    void schedulePing();
    /// Called by the server's heartbeat when the session is due: pings, or closes it when
    /// the pong of the last ping has not arrived.
    void handleHeartbeat(qint64 now);
    void handleWebSocketText(const QString &text);
    void handleWebSocketBinary(const QByteArray &data);
    void handleProbeText(const QString &text);
    void completeUpgrade();
    void dropProbe();
    /// Ends the session. `notifyClient` sends a close packet (polling; a WebSocket is just
    /// closed, as the reference does); `drain` first delivers what is still buffered, holding
    /// a polling session until the client's next poll (graceful closes only).
    void finish(const QString &reason, bool notifyClient, bool drain = false);
    void release();
    void stopTimer(int &timerId);

    EngineServer *m_server = nullptr;
    QString m_id;
    Transport m_transport;
    Handshake m_handshake;
    State m_state = State::Open;

    QList<PreparedPacket> m_buffer; ///< packets waiting for a poll (polling) or a flush
    qint64 m_bufferedBytes = 0;
    bool m_flushScheduled = false;
    http::HttpResponder m_poll; ///< the GET held open, polling only

    QPointer<QWebSocket> m_webSocket;
    /// m_webSocket's TCP socket (its child): frames are written to it directly.
    QTcpSocket *m_tcpSocket = nullptr;
    int m_sendsSinceBacklogCheck = 0;
    QPointer<QWebSocket> m_probe; ///< a WebSocket being upgraded to, not yet in use
    int m_upgradeTimerId = 0; ///< QObject timers, only while upgrading / draining
    int m_drainTimerId = 0;

    bool m_awaitingPong = false;
    qint64 m_heartbeatDue = 0; ///< managed by EngineServer's timing wheel
    int m_wheelSlot = -1;
    int m_wheelIndex = -1;

    qint64 m_messagesIn = 0;
    qint64 m_messagesOut = 0;
    qint64 m_bytesIn = 0;
    qint64 m_bytesOut = 0;
};

} // namespace mmv::engineio
