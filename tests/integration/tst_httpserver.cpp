// The HTTP front driven over real loopback sockets: keep-alive, pipelining, chunked bodies,
// limits, timeouts, static files, CORS and Host/Origin checks, WebSocket hand-off, shutdown.

#include "rawhttpclient.h"

#include "server/core/processinfo.h"
#include "server/http/epolleventdispatcher.h"
#include "server/http/httpserver.h"
#include "server/http/staticfiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <QElapsedTimer>
#include <QScopeGuard>

#include <functional>
#include <limits>
#include <memory>
#include <thread>

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace mmv;
using namespace mmv::http;

namespace {

/// Counts and hashes what it receives, keeping nothing.
class HashingSink : public BodySink
{
public:
    Status write(QByteArrayView chunk) override
    {
        bytes += chunk.size();
        hash.addData(chunk);
        return std::nullopt;
    }
    /// Behind while told to be: for more once it has holdAfter bytes, or for the end of the
    /// body (holdDrained).
    bool ready(bool drained, std::function<void()> resumeLater) override
    {
        if (drained ? !holdDrained : bytes < holdAfter)
            return true;
        resume = std::move(resumeLater);
        return false;
    }
    Status finish() override
    {
        finished = true;
        return std::nullopt;
    }

    qint64 bytes = 0;
    QCryptographicHash hash{ QCryptographicHash::Sha1 };
    qint64 holdAfter = std::numeric_limits<qint64>::max();
    bool holdDrained = false;
    bool finished = false;
    std::function<void()> resume; ///< what ready() was given when it said no
};

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void keepAliveServesSeveralRequests();
    void http10ClosesByDefault();
    void pipelinedRequestsAnsweredInOrder();
    void chunkedRequestBody();
    void expectContinue();
    void jsonErrorsAndStatuses_data();
    void jsonErrorsAndStatuses();
    void malformedRequestsAreRejected_data();
    void malformedRequestsAreRejected();
    void oversizedHeadGets431();
    void declaredHugeBodyRejectedBeforeReading();
    void chunkedBodyOverLimitStopsEarly();
    void uploadStreamsInBoundedMemory();
    void sinkThatIsBehindHoldsTheBodyBack_data();
    void sinkThatIsBehindHoldsTheBodyBack();
    void sinkThatNeverCatchesUpIsDropped();
    void slowHeaderIsTimedOut();
    void stalledBodyIsTimedOut();
    void idleKeepAliveIsClosed();
    void connectionLimitAnswers503();
    void descriptorCeilingTurnsClientsAway();
    void staticFilesAndETags();
    void traversalNeverLeavesRoot_data();
    void traversalNeverLeavesRoot();
    void headRequestHasNoBody();
    void hostAndOriginChecks_data();
    void hostAndOriginChecks();
    void corsPreflight();
    void webSocketUpgradeIsHandedOff();
    void webSocketOnUnknownPathIsRefused();
    void massWebSocketDisconnect();
    void serverClosedWebSocketDeliversQueuedData();
    void clientGoneBeforeDeferredResponse();
    void shutdownFinishesInFlightResponses();
    void shutdownWaitsForClosingWebSockets();
    void worksWithQNetworkAccessManager();
    void epollDispatcherRunsAThread();
    void epollDispatcherTurns();
    void epollDispatcherNotifierReplacedWhileReady();

private:
    void startServer(const HttpLimits &limits = {});

    std::unique_ptr<HttpServer> m_server;
    std::unique_ptr<StaticFiles> m_static;
    QTemporaryDir m_dir;
    QString m_webRoot;
    std::shared_ptr<HashingSink> m_lastSink;
    int m_aborted = 0;
    QByteArray m_indexHtml;
};

void TestHttpServer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_webRoot = m_dir.filePath(QStringLiteral("web"));
    QVERIFY(QDir().mkpath(m_webRoot + QStringLiteral("/sub")));
    const auto writeFile = [](const QString &path, const QByteArray &data) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    };
    m_indexHtml = "<!doctype html><title>test</title>";
    writeFile(m_webRoot + QStringLiteral("/index.html"), m_indexHtml);
    writeFile(m_webRoot + QStringLiteral("/app.js"), "export const x = 1;\n");
    writeFile(m_webRoot + QStringLiteral("/style.css"), "body{}\n");
    writeFile(m_webRoot + QStringLiteral("/sub/index.html"), "<p>sub</p>");
    QByteArray big(3 * 1024 * 1024 + 17, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i * 7 + 3);
    writeFile(m_webRoot + QStringLiteral("/big.bin"), big);
    writeFile(m_dir.filePath(QStringLiteral("secret.txt")), "TOP-SECRET");
}

void TestHttpServer::startServer(const HttpLimits &limits)
{
    m_server = std::make_unique<HttpServer>();
    m_server->setLimits(limits);
    m_static = std::make_unique<StaticFiles>(m_webRoot);
    m_aborted = 0;
    Router &router = m_server->router();
    router.add("GET", QStringLiteral("/hello"), [](HttpRequest &, HttpResponder responder) {
        HttpResponse response;
        response.body = "hello";
        response.setHeader("Content-Type", "text/plain");
        responder.send(response);
    });
    router.add("POST", QStringLiteral("/echo"), [](HttpRequest &request, HttpResponder responder) {
        auto object = request.jsonObject();
        if (!object) {
            responder.send(HttpResponse::error(object.error()));
            return;
        }
        responder.send(HttpResponse::json(200, object.value()));
    });
    router.add("GET", QStringLiteral("/deferred/{ms}"),
               [this](HttpRequest &request, HttpResponder responder) {
                   responder.setAbortHandler([this] { ++m_aborted; });
                   const QByteArray text
                       = "late-" + request.params.value(QStringLiteral("ms")).toUtf8();
                   QTimer::singleShot(request.params.value(QStringLiteral("ms")).toInt(), this,
                                      [responder, text] {
                                          HttpResponse response;
                                          response.body = text;
                                          responder.send(response);
                                      });
               });
    RouteOptions upload;
    upload.maxBody = 512LL * 1024 * 1024;
    upload.sink = [this](const HttpRequest &head) -> Result<std::shared_ptr<BodySink>> {
        if (!head.header("content-type").startsWith("video/"))
            return AppError{ ErrorCode::UnsupportedMediaType, QStringLiteral("not a video") };
        m_lastSink = std::make_shared<HashingSink>();
        return std::shared_ptr<BodySink>(m_lastSink);
    };
    router.add(
        "POST", QStringLiteral("/upload"),
        [this](HttpRequest &, HttpResponder responder) {
            responder.send(HttpResponse::json(
                201,
                QJsonObject{ { QStringLiteral("bytes"), m_lastSink->bytes },
                             { QStringLiteral("sha1"),
                               QString::fromLatin1(m_lastSink->hash.result().toHex()) } }));
        },
        upload);
    router.add("GET", QStringLiteral("/{*path}"),
               [this](HttpRequest &request, HttpResponder responder) {
                   responder.send(m_static->serve(request, request.path));
               });
    m_server->addWebSocketPath(
        QStringLiteral("/ws"), [this](QWebSocket *socket, const HttpRequest &) {
            socket->setParent(m_server.get());
            connect(socket, &QWebSocket::textMessageReceived, socket,
                    [socket](const QString &text) {
                        socket->sendTextMessage(QStringLiteral("echo:") + text);
                    });
            connect(socket, &QWebSocket::binaryMessageReceived, socket,
                    [socket](const QByteArray &data) { socket->sendBinaryMessage(data); });
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        });
    // Sends a large message and closes at once: what closeWebSocket() must deliver.
    m_server->addWebSocketPath(QStringLiteral("/ws-bye"),
                               [this](QWebSocket *socket, const HttpRequest &) {
                                   socket->sendBinaryMessage(QByteArray(8 << 20, 'b'));
                                   m_server->closeWebSocket(socket);
                               });
    QVERIFY(!m_server->listen(QHostAddress::LocalHost, 0));
    QVERIFY(m_server->port() != 0);
}

void TestHttpServer::init()
{
    startServer();
}

void TestHttpServer::cleanup()
{
    m_server.reset();
}

void TestHttpServer::keepAliveServesSeveralRequests()
{
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send(RawHttpClient::get("/hello"));
    QTRY_COMPARE(client.responses.size(), 1);
    QCOMPARE(client.responses[0].status, 200);
    QCOMPARE(client.responses[0].body, QByteArray("hello"));
    QCOMPARE(client.responses[0].header("connection"), QByteArray("keep-alive"));
    client.send(RawHttpClient::post("/echo", R"({"a":1})"));
    QTRY_COMPARE(client.responses.size(), 2);
    QCOMPARE(client.responses[1].status, 200);
    QCOMPARE(QJsonDocument::fromJson(client.responses[1].body).object().value(u"a").toInt(), 1);
    client.send(RawHttpClient::get("/hello", "Connection: close\r\n"));
    QTRY_COMPARE(client.responses.size(), 3);
    QCOMPARE(client.responses[2].header("connection"), QByteArray("close"));
    QTRY_VERIFY(client.closed);
    QTRY_COMPARE(m_server->connectionCount(), 0);
}

void TestHttpServer::http10ClosesByDefault()
{
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send("GET /hello HTTP/1.0\r\n\r\n");
    QTRY_COMPARE(client.responses.size(), 1);
    QCOMPARE(client.responses[0].status, 200);
    QTRY_VERIFY(client.closed);
}

void TestHttpServer::pipelinedRequestsAnsweredInOrder()
{
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    // A slow deferred answer first: later requests must wait for it.
    client.send(RawHttpClient::get("/deferred/150") + RawHttpClient::get("/hello")
                + RawHttpClient::post("/echo", R"({"n":3})") + RawHttpClient::get("/deferred/1"));
    QTRY_COMPARE(client.responses.size(), 4);
    QCOMPARE(client.responses[0].body, QByteArray("late-150"));
    QCOMPARE(client.responses[1].body, QByteArray("hello"));
    QCOMPARE(QJsonDocument::fromJson(client.responses[2].body).object().value(u"n").toInt(), 3);
    QCOMPARE(client.responses[3].body, QByteArray("late-1"));
    QVERIFY(!client.closed);
    QCOMPARE(m_server->requestsTotal(), qint64(4));
}

void TestHttpServer::chunkedRequestBody()
{
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
                "Content-Type: application/json\r\n\r\n"
                "5\r\n{\"ch\"\r\n"
                "7\r\n:\"unk\"}\r\n"
                "0\r\n\r\n");
    QTRY_COMPARE(client.responses.size(), 1);
    QCOMPARE(client.responses[0].status, 200);
    QCOMPARE(QJsonDocument::fromJson(client.responses[0].body).object().value(u"ch").toString(),
             QStringLiteral("unk"));
    // The connection stays usable after a chunked body.
    client.send(RawHttpClient::get("/hello"));
    QTRY_COMPARE(client.responses.size(), 2);
    QCOMPARE(client.responses[1].body, QByteArray("hello"));
}

void TestHttpServer::expectContinue()
{
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 7\r\n"
                "Expect: 100-continue\r\n\r\n");
    QTRY_COMPARE(client.responses.size(), 1);
    QCOMPARE(client.responses[0].status, 100);
    client.send(R"({"x":1})");
    QTRY_COMPARE(client.responses.size(), 2);
    QCOMPARE(client.responses[1].status, 200);

    // A body over the limit is refused without a 100 Continue.
    client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999\r\n"
                "Expect: 100-continue\r\n\r\n");
    QTRY_COMPARE(client.responses.size(), 3);
    QCOMPARE(client.responses[2].status, 413);
}

void TestHttpServer::jsonErrorsAndStatuses_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");

    QTest::addRow("not found") << RawHttpClient::get("/api/nothing.json") << 404 << "not_found";
    QTest::addRow("method not allowed")
        << RawHttpClient::post("/hello", "{}") << 405 << "method_not_allowed";
    QTest::addRow("invalid json") << RawHttpClient::post("/echo", "{nope") << 400 << "bad_request";
    QTest::addRow("json not object") << RawHttpClient::post("/echo", "[1]") << 400 << "bad_request";
    QTest::addRow("foreign host") << QByteArray(
        "POST /upload HTTP/1.1\r\nHost: x.localhost.invalid\r\n\r\n")
                                  << 403 << "forbidden";
    QTest::addRow("upload not video")
        << QByteArray("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                      "Content-Length: 3\r\n\r\nabc")
        << 415 << "unsupported_media_type";
    QTest::addRow("unsupported expect")
        << QByteArray("POST /echo HTTP/1.1\r\nHost: localhost\r\nExpect: magic\r\n"
                      "Content-Length: 2\r\n\r\n{}")
        << 400 << "bad_request";
}

void TestHttpServer::jsonErrorsAndStatuses()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, code);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send(request);
    QTRY_COMPARE(client.responses.size(), 1);
    QCOMPARE(client.responses[0].status, status);
    QCOMPARE(client.responses[0].header("content-type"), QByteArray("application/json"));
    const QJsonObject error
        = QJsonDocument::fromJson(client.responses[0].body).object().value(u"error").toObject();
    QCOMPARE(error.value(u"code").toString(), code);
    QVERIFY(!error.value(u"message").toString().isEmpty());
    if (status == 405)
        QCOMPARE(client.responses[0].header("allow"), QByteArray("GET"));
}

void TestHttpServer::malformedRequestsAreRejected_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addRow("garbage") << QByteArray("GARBAGE\r\n\r\n");
    QTest::addRow("binary") << QByteArray("\x16\x03\x01\x02\x00\x01\r\n\r\n", 12);
    QTest::addRow("http 2") << QByteArray("GET / HTTP/2.0\r\nHost: localhost\r\n\r\n");
    QTest::addRow("no host") << QByteArray("GET /hello HTTP/1.1\r\n\r\n");
    QTest::addRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nHost localhost\r\n\r\n");
    QTest::addRow("control char in target") << QByteArray("GET /a\x01 HTTP/1.1\r\nHost: l\r\n\r\n");
    QTest::addRow("absolute-form target")
        << QByteArray("GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QTest::addRow("bad content length")
        << QByteArray("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n");
    QTest::addRow("two content lengths")
        << QByteArray("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n"
                      "Content-Length: 3\r\n\r\n{}");
    QTest::addRow("bad chunk size")
        << QByteArray("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
                      "\r\nzz\r\nabc\r\n0\r\n\r\n");
}

void TestHttpServer::malformedRequestsAreRejected()
{
    QFETCH(QByteArray, request);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send(request);
    QTRY_COMPARE(client.responses.size(), 1);
    QCOMPARE(client.responses[0].status, 400);
    QCOMPARE(client.responses[0].header("connection"), QByteArray("close"));
    QTRY_VERIFY(client.closed);
    // The server keeps serving others.
    RawHttpClient other;
    QVERIFY(other.connectTo(m_server->port()));
    other.send(RawHttpClient::get("/hello"));
    QTRY_COMPARE(other.responses.size(), 1);
    QCOMPARE(other.responses[0].status, 200);
}

void TestHttpServer::oversizedHeadGets431()
{
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send("GET /hello HTTP/1.1\r\nHost: localhost\r\nX-Big: " + QByteArray(40000, 'a')
                + "\r\n\r\n");
    QTRY_COMPARE(client.responses.size(), 1);
    QCOMPARE(client.responses[0].status, 431);
    QTRY_VERIFY(client.closed);
}

void TestHttpServer::declaredHugeBodyRejectedBeforeReading()
{
    const qint64 before = residentMemoryKiB();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                "Content-Length: 2000000000\r\n\r\n");
    // Keep pushing body bytes: the server must answer and close without buffering them.
    const QByteArray chunk(1024 * 1024, 'x');
    for (int i = 0; i < 32 && !client.closed && client.responses.isEmpty(); ++i) {
        client.socket.write(chunk);
        QTest::qWait(0);
    }
    QTRY_COMPARE(client.responses.size(), 1);
    QCOMPARE(client.responses[0].status, 413);
    QTRY_VERIFY(client.closed);
    QTRY_COMPARE(m_server->connectionCount(), 0);
    const qint64 grown = residentMemoryKiB() - before;
    QVERIFY2(grown < 64 * 1024, qPrintable(QStringLiteral("RSS grew by %1 KiB").arg(grown)));
}

void TestHttpServer::chunkedBodyOverLimitStopsEarly()
{
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
    const QByteArray chunk = "100000\r\n" + QByteArray(0x100000, ' ') + "\r\n"; // 1 MiB each
    for (int i = 0; i < 4 && client.responses.isEmpty(); ++i) {
        client.send(chunk);
        QTest::qWait(0);
    }
    QTRY_COMPARE(client.responses.size(), 1);
    QCOMPARE(client.responses[0].status, 413);
    QTRY_VERIFY(client.closed);
}

void TestHttpServer::uploadStreamsInBoundedMemory()
{
    const qint64 total = 96LL * 1024 * 1024;
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: video/mp4\r\n"
                "Content-Length: "
                + QByteArray::number(total) + "\r\n\r\n");
    QByteArray chunk(256 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < chunk.size(); ++i)
        chunk[i] = char(i % 251);
    QCryptographicHash expected(QCryptographicHash::Sha1);
    const qint64 before = residentMemoryKiB();
    qint64 peak = before;
    qint64 sent = 0;
    while (sent < total) {
        // Bounded client-side buffering: wait until the socket drained.
        QTRY_VERIFY(client.socket.bytesToWrite() < 1024 * 1024 || client.closed);
        QVERIFY(!client.closed);
        const qint64 n = qMin<qint64>(chunk.size(), total - sent);
        client.socket.write(chunk.constData(), n);
        expected.addData(QByteArrayView(chunk.constData(), n));
        sent += n;
        peak = qMax(peak, residentMemoryKiB());
    }
    QTRY_COMPARE_WITH_TIMEOUT(client.responses.size(), 1, 30000);
    QCOMPARE(client.responses[0].status, 201);
    const QJsonObject result = QJsonDocument::fromJson(client.responses[0].body).object();
    QCOMPARE(qint64(result.value(u"bytes").toDouble()), total);
    QCOMPARE(result.value(u"sha1").toString(), QString::fromLatin1(expected.result().toHex()));
    const qint64 grown = peak - before;
    QVERIFY2(
        grown < 32 * 1024,
        qPrintable(
            QStringLiteral("RSS grew by %1 KiB for a %2 MiB upload").arg(grown).arg(total >> 20)));
}

void TestHttpServer::sinkThatIsBehindHoldsTheBodyBack_data()
{
    // A sink whose disk is behind (UploadSink with FileWriter) says so in the middle of a
    // body, or when the body is complete and it has not written all of it yet.
    QTest::addColumn<bool>("atTheEnd");
    QTest::newRow("in the middle") << false;
    QTest::newRow("at the end") << true;
}

void TestHttpServer::sinkThatIsBehindHoldsTheBodyBack()
{
    // While the sink is behind, the server reads no more of the body (TCP makes the client
    // wait), does not time the body out, and does not answer; the sink's resume, called from
    // another thread as a disk writer would, lets it go on to the end.
    QFETCH(bool, atTheEnd);
    HttpLimits limits;
    limits.bodyTimeoutMs = 500; // the wait for the sink is not a stalled body
    startServer(limits);
    m_lastSink.reset();
    const qint64 total = atTheEnd ? 100000 : 16LL * 1024 * 1024;
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: video/mp4\r\n"
                "Content-Length: "
                + QByteArray::number(total) + "\r\n\r\n");
    QTRY_VERIFY(m_lastSink);
    if (atTheEnd)
        m_lastSink->holdDrained = true;
    else
        m_lastSink->holdAfter = 1024 * 1024; // behind with part of the body written
    QByteArray pattern(253, Qt::Uninitialized);
    for (qsizetype i = 0; i < pattern.size(); ++i)
        pattern[i] = char(i);
    const QByteArray body = pattern.repeated(total / pattern.size() + 1).left(total);
    client.socket.write(body);
    QTRY_VERIFY_WITH_TIMEOUT(m_lastSink->resume, 30000);
    const qint64 held = m_lastSink->bytes;
    QVERIFY(atTheEnd ? held == total : (held >= 1024 * 1024 && held < total));
    // Nothing moves while the sink is behind: no more of the body, no answer, no timeout.
    QTest::qWait(2 * limits.bodyTimeoutMs);
    QCOMPARE(m_lastSink->bytes, held);
    QVERIFY(!m_lastSink->finished);
    QVERIFY(client.responses.isEmpty());
    QVERIFY(!client.closed);

    m_lastSink->holdAfter = std::numeric_limits<qint64>::max();
    m_lastSink->holdDrained = false;
    std::thread([resume = std::move(m_lastSink->resume)] { resume(); }).join();
    QTRY_COMPARE_WITH_TIMEOUT(client.responses.size(), 1, 30000);
    QCOMPARE(client.responses[0].status, 201);
    const QJsonObject result = QJsonDocument::fromJson(client.responses[0].body).object();
    QCOMPARE(qint64(result.value(u"bytes").toDouble()), total);
    QCOMPARE(result.value(u"sha1").toString(),
             QString::fromLatin1(QCryptographicHash::hash(body, QCryptographicHash::Sha1).toHex()));
}

void TestHttpServer::sinkThatNeverCatchesUpIsDropped()
{
    // A hung disk: the sink stays behind. After sinkTimeoutMs the upload is answered 503 and
    // the connection closed (the rest of the body is never read).
    HttpLimits limits;
    limits.sinkTimeoutMs = 300;
    startServer(limits);
    m_lastSink.reset();
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    const qint64 total = 4LL * 1024 * 1024;
    client.send("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: video/mp4\r\n"
                "Content-Length: "
                + QByteArray::number(total) + "\r\n\r\n");
    QTRY_VERIFY(m_lastSink);
    m_lastSink->holdAfter = 64 * 1024;
    client.socket.write(QByteArray(total, 'x'));
    QTRY_COMPARE_WITH_TIMEOUT(client.responses.size(), 1, 30000);
    QCOMPARE(client.responses[0].status, 503);
    QVERIFY(client.responses[0].body.contains("does not keep up"));
    QVERIFY(m_lastSink->bytes < total);
    QTRY_VERIFY(client.closed);
}

void TestHttpServer::slowHeaderIsTimedOut()
{
    HttpLimits limits;
    limits.headerTimeoutMs = 600;
    startServer(limits);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    const QByteArray request = RawHttpClient::get("/hello");
    int next = 0;
    QTimer drip;
    connect(&drip, &QTimer::timeout, this, [&] {
        if (next < request.size() && !client.closed)
            client.send(request.mid(next++, 1));
    });
    drip.start(100); // one byte every 100 ms: far slower than the head timeout allows
    QTRY_COMPARE(client.responses.size(), 1);
    QCOMPARE(client.responses[0].status, 408);
    QTRY_VERIFY(client.closed);
    QVERIFY(next < request.size());
}

void TestHttpServer::stalledBodyIsTimedOut()
{
    HttpLimits limits;
    limits.bodyTimeoutMs = 400;
    startServer(limits);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"a\":");
    QTRY_COMPARE(client.responses.size(), 1);
    QCOMPARE(client.responses[0].status, 408);
    QTRY_VERIFY(client.closed);
}

void TestHttpServer::idleKeepAliveIsClosed()
{
    HttpLimits limits;
    limits.idleTimeoutMs = 300;
    limits.headerTimeoutMs = 300;
    startServer(limits);
    RawHttpClient silent;
    QVERIFY(silent.connectTo(m_server->port()));
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send(RawHttpClient::get("/hello"));
    QTRY_COMPARE(client.responses.size(), 1);
    QTRY_VERIFY(client.closed);
    QTRY_VERIFY(silent.closed);
    QCOMPARE(silent.responses.size(), 0); // nothing was asked: closed without a response
    QTRY_COMPARE(m_server->connectionCount(), 0);
}

void TestHttpServer::connectionLimitAnswers503()
{
    HttpLimits limits;
    limits.maxConnections = 20;
    startServer(limits);
    std::vector<std::unique_ptr<RawHttpClient>> clients;
    for (int i = 0; i < 20; ++i) {
        clients.push_back(std::make_unique<RawHttpClient>());
        QVERIFY(clients.back()->connectTo(m_server->port()));
    }
    QTRY_COMPARE(m_server->connectionCount(), 20);
    RawHttpClient extra;
    QVERIFY(extra.connectTo(m_server->port()));
    QTRY_COMPARE(extra.responses.size(), 1);
    QCOMPARE(extra.responses[0].status, 503);
    QTRY_VERIFY(extra.closed);
    // The admitted ones still work.
    clients.front()->send(RawHttpClient::get("/hello"));
    QTRY_COMPARE(clients.front()->responses.size(), 1);
    QCOMPARE(clients.front()->responses[0].status, 200);
}

void TestHttpServer::descriptorCeilingTurnsClientsAway()
{
    // Near the descriptor limit the server turns new clients away at once (Qt 6.4 would retry
    // a failing accept() at once, forever; left in the backlog they would wait for a timeout),
    // and takes them again when others have left. The server keeps 128 descriptors spare:
    // with a limit of 128 + 30 it holds 30 sockets.
    rlimit saved{};
    QVERIFY(getrlimit(RLIMIT_NOFILE, &saved) == 0);
    rlimit lowered = saved;
    lowered.rlim_cur = 128 + 30;
    QVERIFY(setrlimit(RLIMIT_NOFILE, &lowered) == 0);
    auto restore = qScopeGuard([&saved] { setrlimit(RLIMIT_NOFILE, &saved); });
    startServer();
    restore.dismiss();
    QVERIFY(setrlimit(RLIMIT_NOFILE, &saved) == 0);
    std::vector<std::unique_ptr<RawHttpClient>> clients;
    for (int i = 0; i < 30; ++i) {
        clients.push_back(std::make_unique<RawHttpClient>());
        QVERIFY(clients.back()->connectTo(m_server->port()));
    }
    QTRY_COMPARE(m_server->connectionCount(), 30);
    RawHttpClient turnedAway;
    QVERIFY(turnedAway.connectTo(m_server->port())); // the kernel's backlog completes it
    QTRY_VERIFY(turnedAway.closed);
    QVERIFY(turnedAway.responses.isEmpty());
    QCOMPARE(m_server->connectionCount(), 30);

    clients.erase(clients.begin(), clients.begin() + 10);
    QTRY_COMPARE(m_server->connectionCount(), 20);
    RawHttpClient later;
    QVERIFY(later.connectTo(m_server->port()));
    later.send(RawHttpClient::get("/hello"));
    QTRY_COMPARE(later.responses.size(), 1);
    QCOMPARE(later.responses[0].status, 200);
}

void TestHttpServer::staticFilesAndETags()
{
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send(RawHttpClient::get("/"));
    QTRY_COMPARE(client.responses.size(), 1);
    RawResponse index = client.responses[0];
    QCOMPARE(index.status, 200);
    QCOMPARE(index.body, m_indexHtml);
    QCOMPARE(index.header("content-type"), QByteArray("text/html; charset=utf-8"));
    const QByteArray etag = index.header("etag");
    QVERIFY(etag.startsWith('"') && etag.endsWith('"') && etag.size() > 8);

    client.send(RawHttpClient::get("/", "If-None-Match: " + etag + "\r\n"));
    QTRY_COMPARE(client.responses.size(), 2);
    QCOMPARE(client.responses[1].status, 304);
    QVERIFY(client.responses[1].body.isEmpty());
    client.send(RawHttpClient::get("/", "If-None-Match: \"other\"\r\n"));
    QTRY_COMPARE(client.responses.size(), 3);
    QCOMPARE(client.responses[2].status, 200);

    client.send(RawHttpClient::get("/app.js") + RawHttpClient::get("/style.css")
                + RawHttpClient::get("/sub/") + RawHttpClient::get("/big.bin"));
    QTRY_COMPARE_WITH_TIMEOUT(client.responses.size(), 7, 20000);
    QCOMPARE(client.responses[3].header("content-type"),
             QByteArray("text/javascript; charset=utf-8"));
    QCOMPARE(client.responses[4].header("content-type"), QByteArray("text/css; charset=utf-8"));
    QCOMPARE(client.responses[5].body, QByteArray("<p>sub</p>"));
    QFile big(m_webRoot + QStringLiteral("/big.bin"));
    QVERIFY(big.open(QIODevice::ReadOnly));
    QCOMPARE(client.responses[6].body, big.readAll()); // streamed in chunks, byte-exact
}

void TestHttpServer::traversalNeverLeavesRoot_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addRow("dotdot") << QByteArray("/../secret.txt");
    QTest::addRow("encoded dots") << QByteArray("/%2e%2e/secret.txt");
    QTest::addRow("encoded upper") << QByteArray("/%2E%2E/secret.txt");
    QTest::addRow("encoded slash") << QByteArray("/..%2fsecret.txt");
    QTest::addRow("all encoded") << QByteArray("/%2e%2e%2fsecret.txt");
    QTest::addRow("nested") << QByteArray("/sub/../../secret.txt");
    QTest::addRow("nested encoded") << QByteArray("/sub/%2e%2e/%2e%2e/secret.txt");
    QTest::addRow("backslash") << QByteArray("/..%5csecret.txt");
    QTest::addRow("double encoded") << QByteArray("/%252e%252e/secret.txt");
    QTest::addRow("nul") << QByteArray("/index.html%00.js");
    QTest::addRow("absolute") << QByteArray("//etc/passwd");
    QTest::addRow("dot segment") << QByteArray("/./index.html/..");
}

void TestHttpServer::traversalNeverLeavesRoot()
{
    QFETCH(QByteArray, path);
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send(RawHttpClient::get(path));
    QTRY_COMPARE(client.responses.size(), 1);
    QVERIFY2(client.responses[0].status == 404 || client.responses[0].status == 400,
             qPrintable(QString::number(client.responses[0].status)));
    QVERIFY(!client.responses[0].body.contains("TOP-SECRET"));
    QVERIFY(!client.responses[0].body.contains("root:"));
}

void TestHttpServer::headRequestHasNoBody()
{
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.headRequests = 1;
    client.send("HEAD /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n" + RawHttpClient::get("/hello"));
    QTRY_COMPARE(client.responses.size(), 2);
    QCOMPARE(client.responses[0].status, 200);
    QCOMPARE(client.responses[0].header("content-length").toLongLong(), 3LL * 1024 * 1024 + 17);
    QCOMPARE(client.responses[1].body, QByteArray("hello"));
}

void TestHttpServer::hostAndOriginChecks_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("allowOrigin");

    QTest::addRow("loopback ip") << QByteArray("Host: 127.0.0.1:1\r\n") << 200 << QByteArray();
    QTest::addRow("localhost") << QByteArray("Host: localhost\r\n") << 200 << QByteArray();
    QTest::addRow("loopback range") << QByteArray("Host: 127.8.9.10\r\n") << 200 << QByteArray();
    QTest::addRow("ipv6 loopback") << QByteArray("Host: [::1]:80\r\n") << 200 << QByteArray();
    QTest::addRow("rebinding name")
        << QByteArray("Host: attacker.example\r\n") << 403 << QByteArray();
    QTest::addRow("empty host") << QByteArray("Host: \r\n") << 400 << QByteArray();
    QTest::addRow("same origin") << QByteArray(
        "Host: localhost:8080\r\nOrigin: http://localhost:8080\r\n")
                                 << 200 << QByteArray();
    QTest::addRow("cross origin port")
        << QByteArray("Host: localhost:8080\r\nOrigin: http://localhost:9999\r\n") << 403
        << QByteArray();
    QTest::addRow("foreign origin")
        << QByteArray("Host: localhost\r\nOrigin: http://evil.example\r\n") << 403 << QByteArray();
    QTest::addRow("null origin") << QByteArray("Host: localhost\r\nOrigin: null\r\n") << 403
                                 << QByteArray();
    QTest::addRow("allowed origin")
        << QByteArray("Host: localhost\r\nOrigin: http://app.example:3000\r\n") << 200
        << QByteArray("http://app.example:3000");
    QTest::addRow("allowed origin host")
        << QByteArray("Host: app.example:8765\r\n") << 200 << QByteArray();
}

void TestHttpServer::hostAndOriginChecks()
{
    QFETCH(QByteArray, headers);
    QFETCH(int, status);
    QFETCH(QByteArray, allowOrigin);
    m_server->originPolicy().setAllowedOrigins({ QStringLiteral("http://app.example:3000") });
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send("GET /hello HTTP/1.1\r\n" + headers + "\r\n");
    QTRY_COMPARE(client.responses.size(), 1);
    QCOMPARE(client.responses[0].status, status);
    QCOMPARE(client.responses[0].header("access-control-allow-origin"), allowOrigin);
}

void TestHttpServer::corsPreflight()
{
    m_server->originPolicy().setAllowedOrigins({ QStringLiteral("http://app.example:3000") });
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send("OPTIONS /echo HTTP/1.1\r\nHost: localhost\r\nOrigin: http://app.example:3000\r\n"
                "Access-Control-Request-Method: POST\r\n"
                "Access-Control-Request-Headers: content-type, authorization\r\n\r\n");
    QTRY_COMPARE(client.responses.size(), 1);
    const RawResponse &response = client.responses[0];
    QCOMPARE(response.status, 204);
    QCOMPARE(response.header("access-control-allow-origin"), QByteArray("http://app.example:3000"));
    QVERIFY(response.header("access-control-allow-methods").contains("POST"));
    QCOMPARE(response.header("access-control-allow-headers"),
             QByteArray("content-type, authorization"));
    QCOMPARE(response.header("access-control-allow-credentials"), QByteArray("true"));

    client.send("OPTIONS /echo HTTP/1.1\r\nHost: localhost\r\nOrigin: http://evil.example\r\n\r\n");
    QTRY_COMPARE(client.responses.size(), 2);
    QCOMPARE(client.responses[1].status, 403);
}

void TestHttpServer::webSocketUpgradeIsHandedOff()
{
    // A plain request first on the same server, to show both protocols share the port.
    RawHttpClient http;
    QVERIFY(http.connectTo(m_server->port()));
    http.send(RawHttpClient::get("/hello"));
    QTRY_COMPARE(http.responses.size(), 1);

    QWebSocket socket;
    QSignalSpy connected(&socket, &QWebSocket::connected);
    QStringList received;
    QList<QByteArray> binary;
    connect(&socket, &QWebSocket::textMessageReceived, this,
            [&](const QString &text) { received.append(text); });
    connect(&socket, &QWebSocket::binaryMessageReceived, this,
            [&](const QByteArray &data) { binary.append(data); });
    socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws/?x=1").arg(m_server->port())));
    QTRY_COMPARE(connected.size(), 1);
    QTRY_COMPARE(m_server->webSocketCount(), 1);
    QCOMPARE(m_server->connectionCount(), 1); // the WebSocket is no longer an HTTP connection
    socket.sendTextMessage(QStringLiteral("hi"));
    const QByteArray payload(200000, 'z');
    socket.sendBinaryMessage(payload);
    QTRY_COMPARE(received, QStringList{ QStringLiteral("echo:hi") });
    QTRY_COMPARE(binary.size(), 1);
    QCOMPARE(binary.first(), payload);
    socket.close();
    QTRY_COMPARE(m_server->webSocketCount(), 0);
}

void TestHttpServer::massWebSocketDisconnect()
{
    // Thousands of clients gone at once (a restart of the network or of a proxy): the server
    // must count them all gone, and each TCP socket must go with its QWebSocket, which owns it
    // (not QWebSocketServer, whose disconnect slot searches all its senders for each).
    constexpr int Clients = 2000;
    const QUrl url(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server->port()));
    std::vector<std::unique_ptr<QWebSocket>> clients;
    int connected = 0;
    for (int i = 0; i < Clients; ++i) {
        auto client = std::make_unique<QWebSocket>();
        connect(client.get(), &QWebSocket::connected, this, [&connected] { ++connected; });
        client->open(url);
        clients.push_back(std::move(client));
    }
    QTRY_COMPARE_WITH_TIMEOUT(connected, Clients, 120000);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->webSocketCount(), Clients, 30000);

    // (A QPointer, not destroyed(): ~QWebSocket disconnects everything from its TCP socket.)
    QList<QPointer<QTcpSocket>> tcpSockets;
    const auto serverSockets
        = m_server->findChildren<QWebSocket *>(QString(), Qt::FindDirectChildrenOnly);
    QCOMPARE(serverSockets.size(), Clients);
    for (QWebSocket *socket : serverSockets) {
        auto *tcp = socket->findChild<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly);
        QVERIFY(tcp);
        tcpSockets.append(tcp);
    }
    const auto tcpAlive = [&tcpSockets] {
        return std::count_if(tcpSockets.cbegin(), tcpSockets.cend(),
                             [](const QPointer<QTcpSocket> &tcp) { return !tcp.isNull(); });
    };

    QElapsedTimer clock;
    clock.start();
    for (const auto &client : clients)
        client->abort();
    QTRY_COMPARE_WITH_TIMEOUT(m_server->webSocketCount(), 0, 60000);
    const qint64 elapsed = clock.elapsed();
    QTRY_COMPARE(tcpAlive(), 0);
    qInfo("%d WebSockets closed at once: the server counted 0 after %lld ms", Clients, elapsed);
    clients.clear();
}

void TestHttpServer::serverClosedWebSocketDeliversQueuedData()
{
    // The server closes with 8 MiB still queued: the WebSocket (and its TCP socket) stays until
    // all of it and the close frame went out, counted against the descriptor ceiling, and goes
    // once they have; a client that does not read is aborted after the linger timeout.
    m_server->setLingerTimeout(300);
    const QByteArray upgrade
        = "GET /ws-bye HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
          "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n\r\n";

    QTcpSocket stalled; // reads 1 KiB, then leaves the rest in the kernel
    stalled.setReadBufferSize(1024);
    stalled.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(stalled.waitForConnected(5000));
    stalled.write(upgrade);
    QTRY_COMPARE(m_server->webSocketCount(), 1);
    QCOMPARE(m_server->findChildren<QWebSocket *>().size(), 1);
    QTRY_COMPARE(m_server->webSocketCount(), 0); // aborted after 300 ms

    m_server->setLingerTimeout(30000);
    QTcpSocket reader;
    QByteArray received;
    connect(&reader, &QTcpSocket::readyRead, this, [&] { received += reader.readAll(); });
    reader.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(reader.waitForConnected(5000));
    reader.write(upgrade);
    QTRY_COMPARE_WITH_TIMEOUT(reader.state(), QAbstractSocket::UnconnectedState, 20000);
    received += reader.readAll();
    QVERIFY(received.startsWith("HTTP/1.1 101"));
    QVERIFY2(received.size() > (8 << 20), QByteArray::number(received.size()));
    // The last frame is the close frame, code 1000.
    QCOMPARE(received.right(4), QByteArray("\x88\x02\x03\xe8", 4));
    QTRY_COMPARE(m_server->webSocketCount(), 0);
}

void TestHttpServer::webSocketOnUnknownPathIsRefused()
{
    QWebSocket socket;
    QSignalSpy errors(&socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
    QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
    socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/nope").arg(m_server->port())));
    QTRY_VERIFY(errors.size() > 0 || disconnected.size() > 0);
    QVERIFY(socket.state() != QAbstractSocket::ConnectedState);

    // A WebSocket from a foreign Origin is refused before the hand-off.
    RawHttpClient client;
    QVERIFY(client.connectTo(m_server->port()));
    client.send(
        "GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "Origin: http://evil.example\r\n\r\n");
    QTRY_COMPARE(client.responses.size(), 1);
    QCOMPARE(client.responses[0].status, 403);
    QCOMPARE(m_server->webSocketCount(), 0);
}

void TestHttpServer::clientGoneBeforeDeferredResponse()
{
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(m_server->port()));
        client.send(RawHttpClient::get("/deferred/300"));
        QTRY_COMPARE(m_server->requestsTotal(), qint64(1));
        client.socket.abort();
    }
    QTRY_COMPARE(m_aborted, 1);
    QTRY_COMPARE(m_server->connectionCount(), 0);
    QTest::qWait(400); // the late send() must be a harmless no-op (would crash otherwise)
    RawHttpClient other;
    QVERIFY(other.connectTo(m_server->port()));
    other.send(RawHttpClient::get("/hello"));
    QTRY_COMPARE(other.responses.size(), 1);
}

void TestHttpServer::shutdownFinishesInFlightResponses()
{
    RawHttpClient busy;
    QVERIFY(busy.connectTo(m_server->port()));
    RawHttpClient idle;
    QVERIFY(idle.connectTo(m_server->port()));
    idle.send(RawHttpClient::get("/hello"));
    QTRY_COMPARE(idle.responses.size(), 1);
    busy.send(RawHttpClient::get("/deferred/200"));
    QTRY_COMPARE(m_server->requestsTotal(), qint64(2));

    QSignalSpy finished(m_server.get(), &HttpServer::finished);
    m_server->shutdown(5000);
    QVERIFY(!m_server->isListening());
    QTRY_VERIFY(idle.closed); // idle keep-alive connections go at once
    QTRY_COMPARE(busy.responses.size(), 1); // the request in flight is still answered
    QCOMPARE(busy.responses[0].body, QByteArray("late-200"));
    QCOMPARE(busy.responses[0].header("connection"), QByteArray("close"));
    QTRY_VERIFY(busy.closed);
    QTRY_COMPARE(finished.size(), 1);
}

void TestHttpServer::shutdownWaitsForClosingWebSockets()
{
    // A WebSocket the server closed that still sends its last data holds shutdown's
    // `finished` (after which the network thread ends, deleting it) until it has gone, here
    // aborted by the grace time since its client reads nothing.
    m_server->setLingerTimeout(30000);
    QTcpSocket stalled;
    stalled.setReadBufferSize(1024);
    stalled.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(stalled.waitForConnected(5000));
    stalled.write("GET /ws-bye HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n");
    QTRY_COMPARE(m_server->webSocketCount(), 1);
    QSignalSpy finished(m_server.get(), &HttpServer::finished);
    QElapsedTimer clock;
    clock.start();
    m_server->shutdown(400);
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY2(clock.elapsed() >= 350, qPrintable(QString::number(clock.elapsed())));
    QTRY_COMPARE(m_server->webSocketCount(), 0);
}

void TestHttpServer::worksWithQNetworkAccessManager()
{
    QNetworkAccessManager manager;
    const QUrl base(QStringLiteral("http://127.0.0.1:%1").arg(m_server->port()));
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 20; ++i) {
        QNetworkRequest request(base.resolved(QUrl(QStringLiteral("/echo"))));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        replies.append(manager.post(request, QByteArray("{\"i\":") + QByteArray::number(i) + "}"));
    }
    for (int i = 0; i < replies.size(); ++i) {
        QNetworkReply *reply = replies[i];
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(u"i").toInt(), i);
        reply->deleteLater();
    }
    // Keep-alive: a handful of connections served all twenty requests.
    QVERIFY(m_server->connectionCount() <= 6);
}

void TestHttpServer::epollDispatcherRunsAThread()
{
    // What the network thread needs from its dispatcher besides sockets (which the whole suite
    // exercises when ctest runs it on the dispatcher): queued calls and wake-ups from another
    // thread, precise timers, deleteLater, and quit().
    QThread thread;
    auto *dispatcher = new EpollEventDispatcher;
    // ctest runs the suite a third time with epoll_wait instead of epoll_pwait2.
    QCOMPARE(dispatcher->waitsInMilliseconds(),
             qEnvironmentVariableIntValue("MMV_EPOLL_NO_PWAIT2") != 0);
    QAtomicInt turns;
    connect(
        dispatcher, &QAbstractEventDispatcher::awake, dispatcher, [&turns] { ++turns; },
        Qt::DirectConnection);
    thread.setEventDispatcher(dispatcher);
    auto *worker = new QObject;
    worker->moveToThread(&thread);
    connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
    thread.start();

    QAtomicInt calls;
    QAtomicInteger<qint64> firedAfterMs(-1);
    QElapsedTimer clock;
    QMetaObject::invokeMethod(worker, [&] {
        ++calls;
        clock.start();
        turns.storeRelaxed(0);
        auto *timer = new QTimer;
        timer->setSingleShot(true);
        timer->setTimerType(Qt::PreciseTimer);
        QObject::connect(timer, &QTimer::timeout, timer, [&, timer] {
            firedAfterMs.storeRelaxed(clock.elapsed());
            timer->deleteLater();
        });
        timer->start(120);
    });
    QTRY_VERIFY(firedAfterMs.loadRelaxed() >= 0);
    QVERIFY2(firedAfterMs.loadRelaxed() >= 120,
             qPrintable(QString::number(firedAfterMs.loadRelaxed())));
    // It slept meanwhile: a wait that returns at once (epoll_pwait2 refused by the kernel or
    // a seccomp filter, and no fallback) spins through thousands of turns.
    QVERIFY2(turns.loadRelaxed() < 20, qPrintable(QString::number(turns.loadRelaxed())));
    for (int i = 0; i < 1000; ++i)
        QMetaObject::invokeMethod(worker, [&] { ++calls; });
    QTRY_COMPARE(calls.loadRelaxed(), 1001);

    QAtomicInt deleted;
    QMetaObject::invokeMethod(worker, [&] {
        auto *doomed = new QObject;
        QObject::connect(doomed, &QObject::destroyed, [&] { deleted.storeRelaxed(1); });
        doomed->deleteLater();
    });
    QTRY_COMPARE(deleted.loadRelaxed(), 1);

    thread.quit();
    QVERIFY(thread.wait(5000));
}

void TestHttpServer::epollDispatcherTurns()
{
    // Turns of processEvents() the network thread's loop, QEventLoop or a nested wait may
    // ask for, on a thread of its own: a socket notifier stays ready (level-triggered) all along.
    struct Results
    {
        int excludedTurns = 0;
        bool timerFired = false;
        int activationsWhileExcluded = -1;
        int activations = 0;
        int exceptions = 0;
        bool wokenReturnsTrue = false;
        bool postedReturnsTrue = false;
        bool idleReturnsFalse = false;
    } results;
    int fds[2];
    QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    auto closeFds = qScopeGuard([&fds] {
        ::close(fds[0]);
        if (fds[1] >= 0)
            ::close(fds[1]);
    });
    QCOMPARE(::write(fds[1], "x", 1), 1);

    std::unique_ptr<QThread> thread(QThread::create([&results, &fds] {
        QAbstractEventDispatcher *dispatcher = QThread::currentThread()->eventDispatcher();
        QSocketNotifier reader(fds[0], QSocketNotifier::Read);
        QObject::connect(&reader, &QSocketNotifier::activated, &reader,
                         [&results] { ++results.activations; });
        // Excluding notifiers, a wait must sleep until the timer, not return for the ready
        // socket again and again.
        QTimer timer;
        timer.setSingleShot(true);
        timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&timer, &QTimer::timeout, &timer,
                         [&results] { results.timerFired = true; });
        timer.start(100);
        while (!results.timerFired && results.excludedTurns < 100000) {
            dispatcher->processEvents(QEventLoop::ExcludeSocketNotifiers
                                      | QEventLoop::WaitForMoreEvents);
            ++results.excludedTurns;
        }
        results.activationsWhileExcluded = results.activations;
        // The socket is still watched.
        dispatcher->processEvents(QEventLoop::AllEvents);

        // A wake-up or a posted event is work done, as QEventDispatcherUNIX reports it.
        reader.setEnabled(false);
        dispatcher->wakeUp();
        results.wokenReturnsTrue = dispatcher->processEvents(QEventLoop::AllEvents);
        QObject receiver;
        QCoreApplication::postEvent(&receiver, new QEvent(QEvent::User));
        results.postedReturnsTrue = dispatcher->processEvents(QEventLoop::AllEvents);
        results.idleReturnsFalse = !dispatcher->processEvents(QEventLoop::AllEvents);

        // Hang-ups wake an exception notifier, as with Qt's poll() dispatcher.
        QSocketNotifier exception(fds[0], QSocketNotifier::Exception);
        QObject::connect(&exception, &QSocketNotifier::activated, &exception,
                         [&results] { ++results.exceptions; });
        QTimer guard; // a wait without it would block for good if the hang-up got lost
        guard.start(2000);
        ::close(std::exchange(fds[1], -1));
        for (int i = 0; i < 100 && results.exceptions == 0; ++i)
            dispatcher->processEvents(QEventLoop::WaitForMoreEvents);
    }));
    thread->setEventDispatcher(new EpollEventDispatcher);
    thread->start();
    QVERIFY(thread->wait(10000));

    QVERIFY(results.timerFired);
    QVERIFY2(results.excludedTurns < 10, qPrintable(QString::number(results.excludedTurns)));
    QCOMPARE(results.activationsWhileExcluded, 0);
    QCOMPARE(results.activations, 1);
    QVERIFY(results.wokenReturnsTrue);
    QVERIFY(results.postedReturnsTrue);
    QVERIFY(results.idleReturnsFalse);
    QVERIFY(results.exceptions >= 1);
}

void TestHttpServer::epollDispatcherNotifierReplacedWhileReady()
{
    // Two descriptors ready in one turn; the first one's handler gives the second descriptor a
    // new notifier and deletes the old one, still listed as ready in this turn. Unregistering
    // it must drop it from the turn although it no longer holds its descriptor's slot (it was
    // left there, then activated after its deletion).
    int first[2];
    int second[2];
    QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, first), 0);
    QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, second), 0);
    auto closeFds = qScopeGuard([&] {
        for (int fd : { first[0], first[1], second[0], second[1] })
            ::close(fd);
    });
    QCOMPARE(::write(first[1], "x", 1), 1);
    QCOMPARE(::write(second[1], "x", 1), 1);
    int staleActivations = 0;
    int newActivations = 0;
    int firstActivations = 0;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        QAbstractEventDispatcher *dispatcher = QThread::currentThread()->eventDispatcher();
        QSocketNotifier firstNotifier(first[0], QSocketNotifier::Read);
        auto *stale = new QSocketNotifier(second[0], QSocketNotifier::Read);
        QObject::connect(stale, &QSocketNotifier::activated, stale,
                         [&staleActivations] { ++staleActivations; });
        std::unique_ptr<QSocketNotifier> replacement;
        QObject::connect(&firstNotifier, &QSocketNotifier::activated, &firstNotifier, [&] {
            ++firstActivations;
            firstNotifier.setEnabled(false);
            replacement = std::make_unique<QSocketNotifier>(second[0], QSocketNotifier::Read);
            QObject::connect(replacement.get(), &QSocketNotifier::activated, replacement.get(),
                             [&] {
                                 ++newActivations;
                                 replacement->setEnabled(false);
                             });
            delete stale;
        });
        dispatcher->processEvents(QEventLoop::AllEvents);
        dispatcher->processEvents(QEventLoop::AllEvents);
    }));
    thread->setEventDispatcher(new EpollEventDispatcher);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("several notifiers of one type")));
    thread->start();
    QVERIFY(thread->wait(10000));
    QCOMPARE(firstActivations, 1);
    QCOMPARE(staleActivations, 0);
    QCOMPARE(newActivations, 1);
}

int main(int argc, char *argv[])
{
    // ctest runs this suite twice: on Qt's dispatcher and on the network thread's.
    if (qEnvironmentVariable("MMV_TEST_EVENT_DISPATCHER") == u"epoll")
        QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    TestHttpServer test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_httpserver.moc"
