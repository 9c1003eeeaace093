// EngineServer and EngineSocket: the heartbeat timing wheel, on sessions without a client
// (their pings wait unanswered in their buffers, so each closes with "ping timeout"
// pingTimeout after its ping), and WebSocket sessions on real loopback sockets.

#include "server/engineio/engineserver.h"
#include "server/http/httpserver.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

using namespace mmv;
using namespace mmv::engineio;

class TestEngineIoServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void slowHandlerSkipsNoSlot();
    void noWritesAfterTheClientsCloseFrame();
};

void TestEngineIoServer::slowHandlerSkipsNoSlot()
{
    // One tick handles a session that times out, whose closed() handler is slow, and then
    // a session that pings and so reschedules itself; a third session is due a few ticks later.
    // The tick handler's late return must not move the wheel past the third one's slot: its
    // ping must come at once, not a whole wheel round (510 ms here) later.
    http::HttpServer http;
    EngineConfig config;
    config.pingIntervalMs = 500;
    config.pingTimeoutMs = 500;
    EngineServer server(&http, config);
    const qint64 tick = server.heartbeatTickMs();
    QCOMPARE(tick, 5);

    auto *timingOut
        = new EngineSocket(&server, QStringLiteral("timing-out"), Transport::Polling, {});
    auto *pinging = new EngineSocket(&server, QStringLiteral("pinging"), Transport::Polling, {});
    auto *watched = new EngineSocket(&server, QStringLiteral("watched"), Transport::Polling, {});
    const qint64 slowHandlerMs = 12 * tick;
    qint64 timedOutAt = -1;
    connect(timingOut, &EngineSocket::closed, this, [&](const QString &reason) {
        QCOMPARE(reason, QStringLiteral("ping timeout"));
        timedOutAt = server.now();
        // A slow handler (what the application does when a client leaves, under load).
        QElapsedTimer busy;
        busy.start();
        while (busy.elapsed() < slowHandlerMs) { }
    });
    qint64 watchedClosedAt = -1;
    connect(watched, &EngineSocket::closed, this, [&](const QString &reason) {
        QCOMPARE(reason, QStringLiteral("ping timeout"));
        watchedClosedAt = server.now();
    });

    // timingOut pings at t0 and is due again (to time out) at t0 + pingTimeout.
    const qint64 t0 = (server.now() / tick + 4) * tick;
    server.scheduleHeartbeat(timingOut, t0);
    QTRY_VERIFY(server.now() >= t0 + 2 * tick);
    // pinging is due in the same slot, after timingOut; watched 5 ticks later.
    const qint64 t1 = t0 + config.pingTimeoutMs;
    server.scheduleHeartbeat(pinging, t1);
    const qint64 watchedDue = t1 + 5 * tick;
    server.scheduleHeartbeat(watched, watchedDue);

    QTRY_VERIFY_WITH_TIMEOUT(timedOutAt >= 0, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(watchedClosedAt >= 0, 5000);
    // watched pings at most a tick after the slow handler, and closes pingTimeout later.
    // Skipping its slot made that a round (510 ms) later.
    const qint64 expected = watchedDue + slowHandlerMs + config.pingTimeoutMs;
    qInfo("watched closed %lld ms after it was due (expected about %lld)",
          watchedClosedAt - watchedDue, expected - watchedDue);
    QVERIFY2(watchedClosedAt < expected + 250,
             qPrintable(QStringLiteral("%1 ms late").arg(watchedClosedAt - expected)));
}

void TestEngineIoServer::noWritesAfterTheClientsCloseFrame()
{
    // The client sends its close frame while megabytes for it are still queued (it reads
    // nothing): QWebSocket answers and closes its TCP socket, which stays in ClosingState until
    // flushed, and the session stays open until the socket is gone. Frames sent meanwhile (a
    // broadcast while clients leave) must not be written to the closed device ("QIODevice::write
    // (QTcpSocket): device not open") nor counted.
    http::HttpServer http;
    QVERIFY(!http.listen(QHostAddress::LocalHost, 0));
    EngineServer server(&http, EngineConfig{});
    QPointer<EngineSocket> session;
    connect(&server, &EngineServer::connection, this,
            [&session](EngineSocket *socket) { session = socket; });

    QTcpSocket client;
    client.setReadBufferSize(1024); // then it stops reading
    client.connectToHost(QHostAddress::LocalHost, http.port());
    QVERIFY(client.waitForConnected(5000));
    client.write(
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: localhost\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QTRY_VERIFY(session);
    const PreparedPacket big
        = PreparedPacket::prepare(Packet{ PacketType::Message, QByteArray(256 * 1024, 'm') });
    for (int i = 0; i < 64; ++i)
        session->send(big);

    // A masked close frame, code 1000 (masking key 0).
    client.write(QByteArray("\x88\x82\x00\x00\x00\x00\x03\xe8", 8));
    auto *webSocket = session->findChild<QWebSocket *>();
    QVERIFY(webSocket);
    auto *tcp = webSocket->findChild<QTcpSocket *>();
    QVERIFY(tcp);
    QTRY_VERIFY(!tcp->isOpen());
    QVERIFY(session);
    QVERIFY(tcp->state() == QAbstractSocket::ClosingState);

    QTest::failOnWarning(QRegularExpression(QStringLiteral("device not open")));
    const qint64 before = session->bytesOut();
    for (int i = 0; i < 20; ++i)
        session->send(Packet{ PacketType::Message, "late" });
    QCOMPARE(session->bytesOut(), before);
    client.abort();
    QTRY_VERIFY(!session);
}

QTEST_GUILESS_MAIN(TestEngineIoServer)
#include "tst_engineioserver.moc"
