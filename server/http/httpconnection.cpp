#include "httpconnection.h"

#include "httpserver.h"

#include "server/core/logging.h"

#include <QDateTime>
#include <QLocale>
#include <QTcpSocket>
#include <QUrl>

#include <http_parser.h>
#include <sys/socket.h>

namespace mmv::http {

namespace {

constexpr qint64 ReadChunk = 256 * 1024;
constexpr qint64 WriteHighWater = 1024 * 1024; // stop reading/streaming above this backlog
constexpr qint64 StreamChunk = 64 * 1024;
// A closing connection reads and drops what the client still sends for this long (or this
// much), so that the client reads our answer instead of a reset (RFC 9112, section 9.6).
constexpr int LingerMs = 2000;
constexpr qint64 LingerBytes = 64 * 1024 * 1024;

/// Finds the end of a request head ("\r\n\r\n", or a bare "\n\n" that http-parser accepts
/// too), scanning from `from`. Returns the head length or -1.
qsizetype findHeadEnd(const QByteArray &data, qsizetype from)
{
    for (qsizetype i = qMax<qsizetype>(from, 1); i < data.size(); ++i) {
        if (data.at(i) != '\n')
            continue;
        if (data.at(i - 1) == '\n')
            return i + 1;
        if (i >= 2 && data.at(i - 1) == '\r' && data.at(i - 2) == '\n')
            return i + 1;
    }
    return -1;
}

QByteArray httpDate()
{
    static thread_local qint64 cachedSecond = -1;
    static thread_local QByteArray cached;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 second = now.toSecsSinceEpoch();
    if (second != cachedSecond) {
        cachedSecond = second;
        cached = QLocale::c()
                     .toString(now, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
                     .toLatin1();
    }
    return cached;
}

} // namespace

/// http-parser state and callbacks; kept out of the header so that only this file sees
/// http_parser.h.
struct HttpConnection::Parser
{
    http_parser parser;
    http_parser_settings settings;
    HttpConnection *owner = nullptr;
    QByteArray url;
    QByteArray field;
    QByteArray value;
    bool lastWasValue = false;
    bool headComplete = false;
    bool messageComplete = false;

    explicit Parser(HttpConnection *connection)
        : owner(connection)
    {
        http_parser_settings_init(&settings);
        settings.on_url = &Parser::onUrl;
        settings.on_header_field = &Parser::onHeaderField;
        settings.on_header_value = &Parser::onHeaderValue;
        settings.on_headers_complete = &Parser::onHeadersComplete;
        settings.on_body = &Parser::onBody;
        settings.on_message_complete = &Parser::onMessageComplete;
        reset();
    }

    void reset()
    {
        http_parser_init(&parser, HTTP_REQUEST);
        parser.data = this;
        url.clear();
        field.clear();
        value.clear();
        lastWasValue = false;
        headComplete = false;
        messageComplete = false;
    }

    size_t execute(const char *data, size_t length)
    {
        return http_parser_execute(&parser, &settings, data, length);
    }

    http_errno error() const { return HTTP_PARSER_ERRNO(&parser); }
    bool failed() const { return error() != HPE_OK && error() != HPE_PAUSED; }
    QString errorText() const { return QString::fromLatin1(http_errno_description(error())); }

    void flushHeader()
    {
        if (!field.isEmpty())
            owner->m_request.headers.append({ field.toLower(), value.trimmed() });
        field.clear();
        value.clear();
    }

    static Parser *self(http_parser *p) { return static_cast<Parser *>(p->data); }

    static int onUrl(http_parser *p, const char *at, size_t length)
    {
        self(p)->url.append(at, qsizetype(length));
        return 0;
    }
    static int onHeaderField(http_parser *p, const char *at, size_t length)
    {
        Parser *s = self(p);
        if (s->lastWasValue) {
            s->flushHeader();
            s->lastWasValue = false;
        }
        s->field.append(at, qsizetype(length));
        return 0;
    }
    static int onHeaderValue(http_parser *p, const char *at, size_t length)
    {
        Parser *s = self(p);
        s->value.append(at, qsizetype(length));
        s->lastWasValue = true;
        return 0;
    }
    static int onHeadersComplete(http_parser *p)
    {
        Parser *s = self(p);
        s->flushHeader();
        s->headComplete = true;
        HttpRequest &request = s->owner->m_request;
        request.method = http_method_str(http_method(p->method));
        request.versionMajor = p->http_major;
        request.versionMinor = p->http_minor;
        request.target = s->url;
        s->owner->m_keepAlive = http_should_keep_alive(p) != 0;
        return 0;
    }
    static int onBody(http_parser *p, const char *at, size_t length)
    {
        HttpConnection *c = self(p)->owner;
        c->m_bodyReceived += qint64(length);
        if (c->m_bodyReceived > c->m_maxBody) {
            c->m_bodyError
                = AppError{ ErrorCode::PayloadTooLarge,
                            QStringLiteral("the request body exceeds %1 bytes").arg(c->m_maxBody) };
            return -1;
        }
        if (c->m_request.sink) {
            if (Status status = c->m_request.sink->write(QByteArrayView(at, qsizetype(length)))) {
                c->m_bodyError = *status;
                return -1;
            }
        } else {
            c->m_request.body.append(at, qsizetype(length));
        }
        return 0;
    }
    static int onMessageComplete(http_parser *p)
    {
        self(p)->messageComplete = true;
        // Stop here: the next pipelined request is read only after this one is answered.
        http_parser_pause(p, 1);
        return 0;
    }
};

HttpConnection::HttpConnection(QTcpSocket *socket, HttpServer *server)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
    , m_parser(std::make_unique<Parser>(this))
    , m_alive(std::make_shared<LiveTarget<HttpConnection>>(this))
{
    m_socket->setParent(this);
    // Bounded buffering: when we stop reading (a response pending), TCP pushes back.
    m_socket->setReadBufferSize(ReadChunk);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::handleTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::handleReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::handleBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::handleDisconnected);
    m_request.remoteAddress = m_socket->peerAddress();
    m_request.remotePort = m_socket->peerPort();
    // A new connection must send its first request promptly; one that sends nothing at all
    // is closed silently (browsers open speculative connections).
    m_timeoutKind = TimeoutKind::Idle;
    m_timer.start(m_server->limits().headerTimeoutMs);
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::processInput, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection()
{
    m_alive->clear();
    if (m_responder) {
        m_responder->connection = nullptr;
        if (!m_responder->done && m_responder->abortHandler) {
            auto handler = std::move(m_responder->abortHandler);
            m_responder->done = true;
            handler();
        }
    }
}

void HttpConnection::arm(TimeoutKind kind)
{
    m_timeoutKind = kind;
    const HttpLimits &limits = m_server->limits();
    int ms = 0;
    switch (kind) {
    case TimeoutKind::Idle:
        ms = limits.idleTimeoutMs;
        break;
    case TimeoutKind::Header:
        ms = limits.headerTimeoutMs;
        break;
    case TimeoutKind::Body:
    case TimeoutKind::Write:
        ms = limits.bodyTimeoutMs;
        break;
    case TimeoutKind::Sink:
        ms = limits.sinkTimeoutMs;
        break;
    case TimeoutKind::Linger:
        ms = LingerMs;
        break;
    }
    m_timer.start(ms);
}

void HttpConnection::handleTimeout()
{
    switch (m_timeoutKind) {
    case TimeoutKind::Idle:
        qCDebug(lcHttp) << "closing idle connection from" << m_request.remoteAddress;
        abort();
        return;
    case TimeoutKind::Header:
        if (m_state != State::Head)
            return;
        qCInfo(lcHttp) << "request head timed out from" << m_request.remoteAddress;
        fail(AppError{ ErrorCode::Timeout, QStringLiteral("the request head took too long") });
        return;
    case TimeoutKind::Body:
        if (m_state != State::Body)
            return;
        qCInfo(lcHttp) << "request body stalled from" << m_request.remoteAddress;
        fail(AppError{ ErrorCode::Timeout, QStringLiteral("the request body stalled") });
        return;
    case TimeoutKind::Sink:
        if (m_state != State::Body || !m_waitingForSink)
            return;
        qCWarning(lcHttp) << "the disk does not keep up with the upload from"
                          << m_request.remoteAddress;
        m_keepAlive = false; // the rest of the body is not read
        fail(AppError{ ErrorCode::Unavailable,
                       QStringLiteral("the server's disk does not keep up with the upload") });
        return;
    case TimeoutKind::Write:
        qCInfo(lcHttp) << "client stopped reading the response:" << m_request.remoteAddress;
        abort();
        return;
    case TimeoutKind::Linger:
        abort();
        return;
    }
}

void HttpConnection::handleReadyRead()
{
    if (m_state == State::Lingering) {
        discardInput();
        return;
    }
    processInput();
}

void HttpConnection::beginLinger()
{
    // Half-close: the client sees the end of our answer, and whatever it still sends is read
    // and dropped instead of triggering a reset that could destroy the answer in flight.
    m_halfClosed = true;
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    m_timeoutKind = TimeoutKind::Linger;
    m_timer.start(LingerMs);
    discardInput();
}

void HttpConnection::discardInput()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available > 0) {
        m_discarded += available;
        m_socket->skip(available);
    }
    if (m_discarded > LingerBytes)
        abort();
}

void HttpConnection::handleBytesWritten(qint64 bytes)
{
    m_server->countBytes(0, bytes);
    if (m_state == State::Lingering) {
        if (!m_halfClosed && m_socket->bytesToWrite() == 0)
            beginLinger();
        return;
    }
    if (m_state == State::Writing) {
        arm(TimeoutKind::Write);
        pumpStream();
    } else if ((m_state == State::Head || m_state == State::Body)
               && m_socket->bytesToWrite() < WriteHighWater / 2) {
        processInput(); // pipelined input held back by a full write buffer
    }
}

void HttpConnection::handleDisconnected()
{
    if (m_state == State::Detached)
        return;
    m_state = State::Closing;
    m_timer.stop();
    emitClosed();
}

void HttpConnection::abort()
{
    if (m_state == State::Detached)
        return;
    m_state = State::Closing;
    m_timer.stop();
    m_socket->abort(); // emits disconnected() only when the socket was connected
    emitClosed();
}

void HttpConnection::emitClosed()
{
    if (m_closedEmitted)
        return;
    m_closedEmitted = true;
    Q_EMIT closed(this);
}

void HttpConnection::processInput()
{
    if (m_inProcessInput)
        return;
    m_inProcessInput = true;
    bool progress = true;
    while (progress && m_socket->bytesAvailable() > 0
           && m_socket->bytesToWrite() < WriteHighWater) {
        if (m_state == State::Head)
            progress = readHead();
        else if (m_state == State::Body)
            progress = readBody();
        else
            progress = false;
    }
    m_inProcessInput = false;
}

bool HttpConnection::readHead()
{
    const HttpLimits &limits = m_server->limits();
    if (m_timeoutKind == TimeoutKind::Idle)
        arm(TimeoutKind::Header); // the first byte of a new request
    const QByteArray data
        = m_socket->peek(qMin(m_socket->bytesAvailable(), limits.maxHeaderBytes + 4));
    if (m_scanFrom == 0) {
        // Tolerate the blank lines some clients send between pipelined requests.
        qsizetype blank = 0;
        while (blank < data.size() && (data.at(blank) == '\r' || data.at(blank) == '\n'))
            ++blank;
        if (blank > 0) {
            m_socket->skip(blank);
            return true;
        }
    }
    const qsizetype headLength = findHeadEnd(data, m_scanFrom > 3 ? m_scanFrom - 3 : 0);
    if (headLength < 0) {
        if (data.size() > limits.maxHeaderBytes) {
            fail(AppError{
                ErrorCode::HeadersTooLarge,
                QStringLiteral("the request head exceeds %1 bytes").arg(limits.maxHeaderBytes) });
        } else {
            m_scanFrom = data.size();
        }
        return false;
    }
    m_scanFrom = 0;

    m_parser->reset();
    const size_t parsed = m_parser->execute(data.constData(), size_t(headLength));
    if (m_parser->failed() || !m_parser->headComplete) {
        fail(AppError{ ErrorCode::BadRequest,
                       QStringLiteral("malformed request: %1").arg(m_parser->errorText()) });
        return false;
    }
    const bool upgrade = m_parser->parser.upgrade != 0;
    if (upgrade && m_request.header("upgrade").compare("websocket", Qt::CaseInsensitive) == 0) {
        // Whatever happens, no HTTP request follows an upgrade request on this connection
        // (and an error answer must close it: the head was only peeked at).
        m_keepAlive = false;
        if (!beginRequest())
            return false;
        if (m_server->hasWebSocketPath(m_request.path)) {
            if (auto refusal = m_server->checkWebSocket(m_request)) {
                m_socket->skip(qint64(parsed));
                m_state = State::Waiting;
                m_server->countRequest();
                writeResponse(std::move(*refusal));
                return false;
            }
            // Hand the untouched bytes to QWebSocketServer: we only peeked at them.
            m_timer.stop();
            m_server->upgradeToWebSocket(this, m_request);
            return false;
        }
        m_keepAlive = false;
        m_socket->skip(qint64(parsed));
        fail(AppError{ ErrorCode::NotFound, QStringLiteral("no WebSocket endpoint at this path") });
        return false;
    }
    m_socket->skip(qint64(parsed));
    m_server->countBytes(qint64(parsed), 0);
    if (upgrade) {
        // Another protocol (h2c...): answer over HTTP/1.1, then close, since http-parser
        // stops at the head of an upgrade request.
        m_keepAlive = false;
    }
    if (!beginRequest())
        return false;
    if (m_parser->messageComplete || upgrade) {
        dispatch();
        return true;
    }
    m_state = State::Body;
    http_parser_pause(&m_parser->parser, 0);
    arm(TimeoutKind::Body);
    return true;
}

bool HttpConnection::beginRequest()
{
    HttpRequest &request = m_request;
    const QUrl url = QUrl::fromEncoded(request.target, QUrl::StrictMode);
    if (!request.target.startsWith('/') || !url.isValid()) {
        fail(AppError{ ErrorCode::BadRequest, QStringLiteral("invalid request target") });
        return false;
    }
    request.path = url.path(QUrl::FullyDecoded);
    request.query = QUrlQuery(url);
    m_isHead = request.method == "HEAD";

    if (request.versionMajor != 1) {
        fail(AppError{ ErrorCode::BadRequest, QStringLiteral("only HTTP/1.x is supported") });
        return false;
    }
    if (request.versionMinor >= 1 && !request.hasHeader("host")) {
        fail(AppError{ ErrorCode::BadRequest, QStringLiteral("the Host header is missing") });
        return false;
    }
    if (request.hasHeader("host")) {
        if (Status status = m_server->originPolicy().checkHost(request.header("host"))) {
            fail(*status);
            return false;
        }
    }
    if (Status status = m_server->originPolicy().checkOrigin(request)) {
        fail(*status);
        return false;
    }
    if (m_parser->parser.upgrade)
        return true;

    const bool hasBody = (m_parser->parser.flags & F_CHUNKED)
        || (m_parser->parser.content_length > 0 && m_parser->parser.content_length != ULLONG_MAX);
    // Errors answered before the body is read close the connection: the body is not drained.
    const auto refuse = [&](const AppError &error) {
        if (hasBody)
            m_keepAlive = false;
        fail(error);
        return false;
    };

    const Router::Match match = m_server->router().match(request.method, request.path);
    if (match.outcome != Router::Outcome::Found) {
        if (request.method == "OPTIONS" && match.outcome == Router::Outcome::MethodNotAllowed) {
            m_route = nullptr;
            if (!hasBody) {
                m_state = State::Waiting;
                m_server->countRequest();
                writeResponse(m_server->originPolicy().preflight(request, match.allowedMethods));
                return false;
            }
        }
        if (match.outcome == Router::Outcome::MethodNotAllowed) {
            HttpResponse response = HttpResponse::error(
                ErrorCode::MethodNotAllowed,
                QStringLiteral("%1 is not allowed here").arg(QString::fromLatin1(request.method)));
            response.setHeader("Allow", match.allowedMethods.join(", "));
            if (hasBody)
                m_keepAlive = false;
            m_state = State::Waiting;
            m_server->countRequest();
            writeResponse(std::move(response));
            return false;
        }
        return refuse(AppError{ ErrorCode::NotFound,
                                QStringLiteral("no such resource: %1").arg(request.path) });
    }
    m_route = match.route;
    request.params = match.params;

    if (m_route->options.check) {
        if (Status status = m_route->options.check(request))
            return refuse(*status);
    }
    m_maxBody
        = m_route->options.maxBody >= 0 ? m_route->options.maxBody : m_server->limits().maxJsonBody;
    m_bodyReceived = 0;
    const quint64 declared = m_parser->parser.content_length;
    if (declared != ULLONG_MAX && qint64(declared) > m_maxBody) {
        return refuse(
            AppError{ ErrorCode::PayloadTooLarge,
                      QStringLiteral("the request body of %1 bytes exceeds the limit of %2 bytes")
                          .arg(declared)
                          .arg(m_maxBody) });
    }
    if (m_route->options.sink) {
        auto sink = m_route->options.sink(request);
        if (!sink)
            return refuse(sink.error());
        request.sink = sink.value();
    }
    const QByteArray expect = request.header("expect");
    if (!expect.isEmpty()) {
        if (expect.compare("100-continue", Qt::CaseInsensitive) != 0)
            return refuse(
                AppError{ ErrorCode::BadRequest, QStringLiteral("unsupported Expect header") });
        if (hasBody)
            write("HTTP/1.1 100 Continue\r\n\r\n");
    }
    return true;
}

std::function<void()> HttpConnection::bodyResumer()
{
    return [alive = m_alive] {
        alive->post([](HttpConnection *connection) { connection->continueBody(); });
    };
}

void HttpConnection::continueBody()
{
    if (m_state != State::Body || !m_waitingForSink)
        return;
    m_waitingForSink = false;
    arm(TimeoutKind::Body);
    if (readBody())
        processInput();
}

bool HttpConnection::readBody()
{
    // A sink whose disk is behind holds the body back: the socket is not read meanwhile (the
    // client waits through TCP), and the wait is not the client's stall (only a disk that
    // does not catch up for sinkTimeoutMs ends it).
    const auto sinkWaits = [this](bool drained) {
        if (!m_request.sink || m_request.sink->ready(drained, bodyResumer()))
            return false;
        m_waitingForSink = true;
        arm(TimeoutKind::Sink);
        return true;
    };
    if (m_waitingForSink)
        return false;
    if (!m_parser->messageComplete) {
        if (sinkWaits(false))
            return false;
        const QByteArray data = m_socket->peek(qMin(m_socket->bytesAvailable(), ReadChunk));
        const size_t parsed = m_parser->execute(data.constData(), size_t(data.size()));
        if (m_bodyError) {
            const AppError error = *m_bodyError;
            m_request.sink.reset();
            m_keepAlive = false;
            fail(error);
            return false;
        }
        if (m_parser->failed()) {
            m_keepAlive = false;
            fail(AppError{
                ErrorCode::BadRequest,
                QStringLiteral("malformed request body: %1").arg(m_parser->errorText()) });
            return false;
        }
        m_socket->skip(qint64(parsed));
        m_server->countBytes(qint64(parsed), 0);
        arm(TimeoutKind::Body);
        if (!m_parser->messageComplete)
            return true;
    }
    // The whole body is read: the handler runs once the sink has dealt with all of it.
    if (sinkWaits(true))
        return false;
    if (m_request.sink) {
        if (Status status = m_request.sink->finish()) {
            m_request.sink.reset();
            fail(*status);
            return false;
        }
    }
    dispatch();
    return true;
}

void HttpConnection::dispatch()
{
    m_state = State::Waiting;
    m_timer.stop();
    m_server->countRequest();
    m_responder = std::make_shared<HttpResponder::State>();
    m_responder->connection = this;
    m_responder->sequence = ++m_sequence;
    HttpResponder responder(m_responder);
    try {
        m_route->handler(m_request, responder);
    } catch (const std::exception &e) {
        qCWarning(lcHttp) << "handler for" << m_route->pattern << "threw:" << e.what();
        responder.send(HttpResponse::error(ErrorCode::Internal, QStringLiteral("internal error")));
    } catch (...) {
        qCWarning(lcHttp) << "handler for" << m_route->pattern << "threw";
        responder.send(HttpResponse::error(ErrorCode::Internal, QStringLiteral("internal error")));
    }
}

void HttpConnection::sendResponse(quint64 sequence, HttpResponse response)
{
    if (m_state != State::Waiting || sequence != m_sequence)
        return;
    writeResponse(std::move(response));
}

void HttpConnection::fail(const AppError &error)
{
    if (error.code == ErrorCode::BadRequest || error.code == ErrorCode::HeadersTooLarge
        || error.code == ErrorCode::Timeout)
        m_keepAlive = false;
    qCDebug(lcHttp) << "request from" << m_request.remoteAddress << "failed:" << error.message;
    m_state = State::Waiting;
    m_server->countRequest();
    writeResponse(HttpResponse::error(error));
}

void HttpConnection::rejectAndClose(const AppError &error)
{
    m_keepAlive = false;
    m_state = State::Waiting;
    writeResponse(HttpResponse::error(error));
}

void HttpConnection::write(const QByteArray &data)
{
    m_socket->write(data);
}

void HttpConnection::writeResponse(HttpResponse response)
{
    if (m_responder)
        m_responder->done = true;
    m_server->originPolicy().applyCors(m_request, response);
    const bool close = !m_keepAlive || response.closeConnection || m_closeRequested
        || m_server->isShuttingDown();
    m_keepAlive = !close;

    QByteArray head;
    head.reserve(256 + response.headers.size() * 48);
    head += "HTTP/1.1 " + QByteArray::number(response.status) + ' '
        + HttpResponse::reasonPhrase(response.status) + "\r\n";
    for (const auto &[name, value] : std::as_const(response.headers))
        head += name + ": " + value + "\r\n";
    const bool bodyAllowed
        = response.status >= 200 && response.status != 204 && response.status != 304;
    const qint64 length = response.stream ? response.streamLength : response.body.size();
    if (bodyAllowed)
        head += "Content-Length: " + QByteArray::number(length) + "\r\n";
    head += "Date: " + httpDate() + "\r\n";
    head += close ? "Connection: close\r\n" : "Connection: keep-alive\r\n";
    head += "\r\n";

    const bool sendBody = bodyAllowed && !m_isHead;
    if (sendBody && response.stream && length > 0) {
        write(head);
        m_stream = std::move(response.stream);
        m_streamRemaining = length;
        m_state = State::Writing;
        arm(TimeoutKind::Write);
        pumpStream();
        return;
    }
    if (sendBody)
        head += response.body;
    write(head);
    finishResponse();
}

void HttpConnection::pumpStream()
{
    while (m_stream && m_streamRemaining > 0 && m_socket->bytesToWrite() < WriteHighWater) {
        const QByteArray chunk = m_stream->read(qMin(StreamChunk, m_streamRemaining));
        if (chunk.isEmpty()) {
            qCWarning(lcHttp) << "file ended before its announced length; closing";
            abort();
            return;
        }
        m_streamRemaining -= chunk.size();
        write(chunk);
    }
    if (m_streamRemaining == 0) {
        m_stream.reset();
        finishResponse();
    }
}

void HttpConnection::finishResponse()
{
    m_route = nullptr;
    m_request.sink.reset();
    if (!m_keepAlive) {
        m_state = State::Lingering;
        m_timer.stop();
        if (m_socket->bytesToWrite() == 0)
            beginLinger(); // else once the answer has been handed to the kernel
        return;
    }
    resetForNextRequest();
    if (!m_inProcessInput && m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::processInput, Qt::QueuedConnection);
}

void HttpConnection::resetForNextRequest()
{
    const QHostAddress address = m_request.remoteAddress;
    const quint16 port = m_request.remotePort;
    m_request = HttpRequest();
    m_request.remoteAddress = address;
    m_request.remotePort = port;
    m_responder.reset();
    m_bodyError.reset();
    m_bodyReceived = 0;
    m_waitingForSink = false;
    m_scanFrom = 0;
    m_isHead = false;
    m_state = State::Head;
    arm(TimeoutKind::Idle);
}

void HttpConnection::closeWhenIdle()
{
    m_closeRequested = true;
    if (m_state == State::Head && m_socket->bytesAvailable() == 0)
        abort();
}

QTcpSocket *HttpConnection::takeSocket()
{
    m_state = State::Detached;
    m_timer.stop();
    m_socket->disconnect(this);
    m_socket->setReadBufferSize(0);
    QTcpSocket *socket = m_socket;
    socket->setParent(nullptr);
    m_socket = nullptr;
    return socket;
}

} // namespace mmv::http
