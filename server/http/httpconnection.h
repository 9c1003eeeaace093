#pragma once

#include "httpresponse.h"
#include "router.h"

#include "server/core/livetarget.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

class QTcpSocket;

namespace mmv::http {

class HttpServer;

/// One client connection of the HTTP front: reads requests with http-parser (pipelined
/// requests are answered one after the other, in order), enforces the limits and timeouts,
/// writes responses (streamed ones in bounded chunks) and closes or keeps the connection.
class HttpConnection : public QObject
{
    Q_OBJECT

public:
    HttpConnection(QTcpSocket *socket, HttpServer *server);
    ~HttpConnection() override;

    /// Delivers the response of request `sequence`; stale sequences are ignored.
    void sendResponse(quint64 sequence, HttpResponse response);
    /// Closes now when idle, else after the response in progress (used at shutdown).
    void closeWhenIdle();
    /// Writes a complete response and closes, without any request (e.g. 503 when full).
    void rejectAndClose(const AppError &error);
    void abort();
    /// Detaches the socket for a protocol upgrade; this object is finished afterwards.
    QTcpSocket *takeSocket();

Q_SIGNALS:
    void closed(mmv::http::HttpConnection *connection);

private:
    enum class State { Head, Body, Waiting, Writing, Lingering, Closing, Detached };
    enum class TimeoutKind { Idle, Header, Body, Sink, Write, Linger };
    struct Parser;
    friend struct Parser;

    void handleReadyRead();
    void handleBytesWritten(qint64 bytes);
    void handleDisconnected();
    void handleTimeout();
    void processInput();
    bool readHead();
    bool readBody();
    /// A sink that was behind can take more (or is drained): reading goes on.
    void continueBody();
    /// What a sink calls, from any thread, to get continueBody() run here.
    std::function<void()> bodyResumer();
    bool beginRequest();
    void dispatch();
    void fail(const AppError &error);
    void writeResponse(HttpResponse response);
    void pumpStream();
    void finishResponse();
    void resetForNextRequest();
    void arm(TimeoutKind kind);
    void write(const QByteArray &data);
    void emitClosed();
    void beginLinger();
    void discardInput();

    QTcpSocket *m_socket = nullptr;
    HttpServer *m_server = nullptr;
    std::unique_ptr<Parser> m_parser;
    State m_state = State::Head;
    TimeoutKind m_timeoutKind = TimeoutKind::Idle;
    QTimer m_timer;

    /// This connection while it exists, for the sinks' resume calls from their threads.
    std::shared_ptr<LiveTarget<HttpConnection>> m_alive;
    bool m_waitingForSink = false; ///< the body is held back until the sink resumes us

    HttpRequest m_request;
    const Route *m_route = nullptr;
    qint64 m_maxBody = 0;
    qint64 m_bodyReceived = 0;
    qint64 m_scanFrom = 0;
    bool m_keepAlive = true;
    bool m_closeRequested = false;
    bool m_inProcessInput = false;
    bool m_isHead = false;
    bool m_closedEmitted = false;
    bool m_halfClosed = false;
    qint64 m_discarded = 0;
    std::optional<AppError> m_bodyError;

    quint64 m_sequence = 0;
    std::shared_ptr<HttpResponder::State> m_responder;
    std::shared_ptr<QIODevice> m_stream;
    qint64 m_streamRemaining = 0;
};

} // namespace mmv::http
