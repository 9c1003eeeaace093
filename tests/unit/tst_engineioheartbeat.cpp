// The heartbeat timing wheel of EngineServer, on sessions without a client (their pings wait
// unanswered in their buffers, so each closes with "ping timeout" pingTimeout after its ping).

#include "server/engineio/engineserver.h"
#include "server/http/httpserver.h"

#include <QElapsedTimer>
#include <QTest>

using namespace mmv;
using namespace mmv::engineio;

class TestEngineIoHeartbeat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void slowHandlerSkipsNoSlot();
};

void TestEngineIoHeartbeat::slowHandlerSkipsNoSlot()
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

QTEST_GUILESS_MAIN(TestEngineIoHeartbeat)
#include "tst_engineioheartbeat.moc"
