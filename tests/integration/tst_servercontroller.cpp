// The facade the dashboard uses, with the real server in its network thread: operator actions
// go in as queued calls, value types come back as signals in the caller's thread.

#include "ffmpegclips.h"
#include "localserver.h"
#include "rawhttpclient.h"

#include "server/core/servercontroller.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QWebSocket>

using namespace mmv;
using namespace mmv::testing;

class TestServerController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void stateAndStats();
    void chatAsOperator();
    void libraryAndAnalysis();
    void addingCanBeStopped();
    void stoppingTheServerStopsAdding();
    void connectionsAndEvents();
    void connectionDetailShowsTheHandshake();
    void rateLimitsComeFromTheConfig();
    void portInUseIsAnError();

private:
    /// A Socket.IO client over a raw QWebSocket: handshake done, connected to "/".
    struct Client
    {
        QWebSocket socket;
        QStringList frames;
    };
    std::unique_ptr<Client> connectClient(quint16 port, const QByteArray &query,
                                          const QList<QPair<QByteArray, QByteArray>> &headers);

    QTemporaryDir m_dir;
    ServerController m_controller;
};

void TestServerController::initTestCase()
{
    ServerConfig config = localServerConfig(m_dir.filePath(QStringLiteral("data")));
    config.operatorToken = QStringLiteral("operator-secret");
    config.viewerToken = QStringLiteral("viewer-secret");
    QSignalSpy states(&m_controller, &ServerController::stateChanged);
    const Status started = m_controller.start(config);
    QVERIFY2(!started, started ? qPrintable(started->message) : "");
    QVERIFY(m_controller.state().isListening());
    QVERIFY(m_controller.state().port != 0);
    QVERIFY(!states.isEmpty());
}

void TestServerController::cleanupTestCase()
{
    QSignalSpy states(&m_controller, &ServerController::stateChanged);
    m_controller.stop();
    QVERIFY(m_controller.state().status == ServerState::Status::Stopped);
}

void TestServerController::stateAndStats()
{
    QCOMPARE(m_controller.state().storage, QStringLiteral("file"));
    QVERIFY(m_controller.state().urls.last().contains(QString::number(m_controller.state().port)));
    RawHttpClient client;
    QVERIFY(client.connectTo(m_controller.state().port));
    client.send(RawHttpClient::get("/api/v1/health"));
    QTRY_COMPARE(client.responses.size(), 1);
    QSignalSpy stats(&m_controller, &ServerController::statsUpdated);
    QTRY_VERIFY_WITH_TIMEOUT(!stats.isEmpty(), 3000);
    const ServerStats sample = stats.last().at(0).value<ServerStats>();
    QVERIFY(sample.requestsTotal >= 1);
    QCOMPARE(sample.storageHealth, QStringLiteral("disabled"));
}

void TestServerController::chatAsOperator()
{
    QSignalSpy posted(&m_controller, &ServerController::chatMessagesPosted);
    QSignalSpy history(&m_controller, &ServerController::chatHistoryLoaded);
    m_controller.postChat(QStringLiteral("lobby"), QStringLiteral("Welcome!"));
    QTRY_COMPARE(posted.size(), 1);
    const auto batch = posted.first().at(0).value<QList<QJsonObject>>();
    QCOMPARE(batch.size(), 1);
    const QJsonObject message = batch.first();
    QCOMPARE(message.value(u"kind").toString(), QStringLiteral("operator"));
    QCOMPARE(message.value(u"text").toString(), QStringLiteral("Welcome!"));
    QCOMPARE(message.value(u"session_id").toString(), QStringLiteral("lobby"));

    m_controller.joinChat(QStringLiteral("lobby"));
    QTRY_COMPARE(history.size(), 1);
    QCOMPARE(history.first().at(0).toString(), QStringLiteral("lobby"));
    const auto messages = history.first().at(1).value<QList<QJsonObject>>();
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.first().value(u"id"), message.value(u"id"));

    QSignalSpy actions(&m_controller, &ServerController::actionFinished);
    m_controller.postChat(QStringLiteral("no/slashes"), QStringLiteral("x"));
    // An invalid id never reaches the chat: the post is refused, nothing is posted.
    QTRY_COMPARE(actions.size(), 1);
    QCOMPARE(actions.first().at(0).toString(), QStringLiteral("post"));
    QVERIFY(!actions.first().at(2).toString().isEmpty());
    QCOMPARE(posted.size(), 1);

    // A burst reaches the GUI thread in batches, in order, nothing lost.
    posted.clear();
    constexpr int Burst = 20;
    for (int i = 0; i < Burst; ++i)
        m_controller.postChat(QStringLiteral("lobby"), QStringLiteral("burst %1").arg(i));
    QList<QJsonObject> received;
    QTRY_VERIFY([&] {
        received.clear();
        for (const auto &signal : std::as_const(posted))
            received += signal.at(0).value<QList<QJsonObject>>();
        return received.size() >= Burst;
    }());
    QCOMPARE(received.size(), Burst);
    QVERIFY2(posted.size() < Burst, qPrintable(QString::number(posted.size())));
    for (int i = 0; i < Burst; ++i)
        QCOMPARE(received.at(i).value(u"text").toString(), QStringLiteral("burst %1").arg(i));
}

void TestServerController::libraryAndAnalysis()
{
    const QString sample = QStringLiteral("/usr/share/doc/opencv-doc/examples/data/Megamind.avi");
    QVERIFY2(QFile::exists(sample), "install opencv-doc (scripts/setup.sh)");
    QSignalSpy added(&m_controller, &ServerController::videoAdded);
    QSignalSpy statuses(&m_controller, &ServerController::processingStatusChanged);
    QSignalSpy results(&m_controller, &ServerController::analysisResultFound);
    QSignalSpy actions(&m_controller, &ServerController::actionFinished);

    m_controller.addVideoFile(sample);
    QTRY_COMPARE_WITH_TIMEOUT(added.size(), 1, 20000);
    const VideoInfo video = added.first().at(0).value<VideoInfo>();
    QCOMPARE(video.width, 720);
    QVERIFY(QFile::exists(sample)); // a local file is copied, not moved

    QSignalSpy listed(&m_controller, &ServerController::videosListed);
    m_controller.requestVideos();
    QTRY_COMPARE(listed.size(), 1);
    QCOMPARE(listed.first().at(0).value<QList<VideoInfo>>().size(), 1);

    m_controller.startAnalysis(video.id);
    const auto lastState = [&] {
        return statuses.isEmpty() ? QString()
                                  : statuses.last().at(0).toJsonObject().value(u"state").toString();
    };
    QTRY_VERIFY_WITH_TIMEOUT(lastState() == u"completed" || lastState() == u"failed", 120000);
    QCOMPARE(lastState(), QStringLiteral("completed"));
    QVERIFY(!results.isEmpty());
    const QJsonObject shot = [&] {
        for (const auto &args : std::as_const(results)) {
            if (args.at(0).toJsonObject().value(u"kind").toString() == u"shot")
                return args.at(0).toJsonObject();
        }
        return QJsonObject();
    }();
    QVERIFY(!shot.isEmpty());
    const int keyframe = shot.value(u"data").toObject().value(u"keyframe").toInt(-1);
    QVERIFY(keyframe >= 0);
    QVERIFY(QFile::exists(m_controller.keyframePath(video.id, keyframe)));

    QSignalSpy loaded(&m_controller, &ServerController::videoStateLoaded);
    m_controller.requestVideoState(video.id);
    QTRY_COMPARE(loaded.size(), 1);
    QCOMPARE(loaded.first().at(1).toJsonObject().value(u"state").toString(),
             QStringLiteral("completed"));
    QVERIFY(loaded.first().at(2).value<QList<QJsonObject>>().size() >= 4);

    QSignalSpy removed(&m_controller, &ServerController::videoRemoved);
    m_controller.deleteVideo(video.id);
    QTRY_COMPARE(removed.size(), 1);
    QVERIFY(!QFile::exists(m_controller.keyframePath(video.id, keyframe)));
    // The answer to the deletion comes after videoRemoved (the results are cleared in
    // between): wait for it here, or it lands in the next test's spy.
    const auto answered = [&actions](const QString &action) {
        for (const auto &args : std::as_const(actions)) {
            if (args.at(0).toString() == action)
                return args.at(2).toString().isNull() ? QStringLiteral("ok")
                                                      : args.at(2).toString();
        }
        return QString();
    };
    QTRY_COMPARE(answered(QStringLiteral("delete")), QStringLiteral("ok"));
    QCOMPARE(answered(QStringLiteral("add video Megamind.avi")), QStringLiteral("ok"));
}

void TestServerController::addingCanBeStopped()
{
    // The operator added a large file by mistake and stops it while it is copied: the add is
    // answered "cancelled", no video appears, and nothing of it stays in the data directory.
    const QString big = m_dir.filePath(QStringLiteral("big.avi"));
    QVERIFY(writeBigVideo(big));
    QSignalSpy added(&m_controller, &ServerController::videoAdded);
    QSignalSpy actions(&m_controller, &ServerController::actionFinished);
    ServerController::RequestId request = 0;
    int progress = 0;
    // At the first news of the copy, as the dashboard's button would.
    const QMetaObject::Connection stopper
        = connect(&m_controller, &ServerController::actionProgress, this,
                  [&](const QString &, double, ServerController::RequestId id) {
                      if (id == request && progress++ == 0)
                          m_controller.cancelAddVideoFile(id);
                  });
    request = m_controller.addVideoFile(big);
    QTRY_COMPARE_WITH_TIMEOUT(actions.size(), 1, 60000);
    disconnect(stopper);
    QVERIFY(progress > 0);
    QCOMPARE(actions.first().at(0).toString(), QStringLiteral("add video big.avi"));
    QCOMPARE(actions.first().at(2).toString(), QStringLiteral("cancelled"));
    QCOMPARE(actions.first().at(3).value<ServerController::RequestId>(), request);
    QCOMPARE(added.size(), 0);
    const QString data = m_dir.filePath(QStringLiteral("data"));
    QVERIFY(QDir(data + QStringLiteral("/uploads")).isEmpty());
    QTRY_VERIFY(QDir(data + QStringLiteral("/trash")).isEmpty());
    QVERIFY(QFile::remove(big));
}

void TestServerController::stoppingTheServerStopsAdding()
{
    // The dashboard says "not added" as soon as the server stops, so the copy must stop then
    // too, not go on through the grace time the server gives its busy connections (here one
    // whose request head never ends) and be admitted after all.
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("data"));
    ServerController controller;
    const QString error = startLocalServer(controller, data);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    RawHttpClient busy;
    QVERIFY(busy.connectTo(controller.state().port));
    busy.send("POST /api/v1/videos HTTP/1.1\r\nHost: localhost\r\n");
    const QString big = dir.filePath(QStringLiteral("big.avi"));
    QVERIFY(writeBigVideo(big));
    QSignalSpy progress(&controller, &ServerController::actionProgress);
    controller.addVideoFile(big);
    QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), 30000); // copying
    controller.stop(3000);
    QVERIFY(QDir(data + QStringLiteral("/videos"))
                .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                .isEmpty());
    QVERIFY(QDir(data + QStringLiteral("/uploads")).isEmpty());
}

void TestServerController::connectionsAndEvents()
{
    QSignalSpy events(&m_controller, &ServerController::eventsRecorded);
    QSignalSpy listed(&m_controller, &ServerController::connectionsListed);
    QSignalSpy actions(&m_controller, &ServerController::actionFinished);
    m_controller.setEventTapEnabled(true);
    // Wait until the tap is on: the queued call has run once a later listing comes back.
    m_controller.requestConnections();
    QTRY_COMPARE(listed.size(), 1);
    QCOMPARE(listed.first().at(0).value<QList<ConnectionInfo>>().size(), 0);

    m_controller.emitEvent(QStringLiteral("notification"),
                           QJsonObject{ { QStringLiteral("level"), QStringLiteral("info") } });
    QTRY_COMPARE(actions.size(), 1);
    QCOMPARE(actions.first().at(0).toString(), QStringLiteral("emit"));
    QCOMPARE(actions.first().at(1).toInt(), 0); // nobody connected
    QCOMPARE(actions.first().at(2).toString(), QString());

    m_controller.disconnectClient(QStringLiteral("nobody"));
    QTRY_COMPARE(actions.size(), 2);
    QVERIFY(!actions.last().at(2).toString().isEmpty());

    m_controller.emitEvent(QStringLiteral("connect"), QJsonValue());
    QTRY_COMPARE(actions.size(), 3);
    QVERIFY(actions.last().at(2).toString().contains(u"reserved"));
    m_controller.setEventTapEnabled(false);
}

std::unique_ptr<TestServerController::Client>
TestServerController::connectClient(quint16 port, const QByteArray &query,
                                    const QList<QPair<QByteArray, QByteArray>> &headers)
{
    auto client = std::make_unique<Client>();
    Client *c = client.get();
    connect(&c->socket, &QWebSocket::textMessageReceived, &c->socket,
            [c](const QString &frame) { c->frames.append(frame); });
    QNetworkRequest request(
        QUrl(QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket&%2")
                 .arg(port)
                 .arg(QString::fromLatin1(query))));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    c->socket.open(request);
    [&] { QTRY_COMPARE(c->frames.size(), 1); }(); // the Engine.IO open packet
    if (c->frames.isEmpty() || !c->frames.first().startsWith(u'0'))
        return nullptr;
    c->socket.sendTextMessage(QStringLiteral("40"));
    [&] { QTRY_COMPARE(c->frames.size(), 2); }();
    if (c->frames.size() < 2 || !c->frames.at(1).startsWith(u"40{\"sid\""))
        return nullptr;
    return client;
}

void TestServerController::connectionDetailShowsTheHandshake()
{
    const auto client
        = connectClient(m_controller.state().port, "token=viewer-secret&lang=de&note=a%26b%3Dc",
                        { { "X-Probe", "42" }, { "Cookie", "secret=1" } });
    QVERIFY(client);
    QSignalSpy listed(&m_controller, &ServerController::connectionsListed);
    m_controller.requestConnections();
    QTRY_COMPARE(listed.size(), 1);
    const auto connections = listed.first().at(0).value<QList<ConnectionInfo>>();
    QCOMPARE(connections.size(), 1);
    const ConnectionInfo &listedInfo = connections.first();
    QVERIFY(listedInfo.headers.isEmpty()); // the periodic list stays small
    QCOMPARE(listedInfo.role, QStringLiteral("viewer"));

    QSignalSpy details(&m_controller, &ServerController::connectionDetailLoaded);
    m_controller.requestConnectionDetail(listedInfo.id);
    QTRY_COMPARE(details.size(), 1);
    QCOMPARE(details.first().at(0).toString(), listedInfo.id);
    QVERIFY(details.first().at(1).toBool());
    const auto detail = details.first().at(2).value<ConnectionInfo>();
    QCOMPARE(detail.id, listedInfo.id);
    QVERIFY(detail.remotePort != 0);
    QMap<QString, QString> headers;
    for (const auto &[name, value] : detail.headers)
        headers.insert(name.toLower(), value);
    QCOMPARE(headers.value(QStringLiteral("x-probe")), QStringLiteral("42"));
    QCOMPARE(headers.value(QStringLiteral("cookie")), QStringLiteral("…"));
    QVERIFY(headers.contains(QStringLiteral("host")));
    QMap<QString, QString> query;
    for (const auto &[name, value] : detail.query)
        query.insert(name, value);
    QCOMPARE(query.value(QStringLiteral("lang")), QStringLiteral("de"));
    QCOMPARE(query.value(QStringLiteral("transport")), QStringLiteral("websocket"));
    QCOMPARE(query.value(QStringLiteral("token")), QStringLiteral("…")); // never the secret
    QCOMPARE(query.value(QStringLiteral("note")), QStringLiteral("a&b=c")); // decoded, whole

    m_controller.requestConnectionDetail(QStringLiteral("gone"));
    QTRY_COMPARE(details.size(), 2);
    QVERIFY(!details.last().at(1).toBool());
}

void TestServerController::rateLimitsComeFromTheConfig()
{
    ServerController limited;
    ServerConfig config = m_controller.config();
    config.port = 0;
    config.dataDir = m_dir.filePath(QStringLiteral("limited"));
    config.eventRateLimit = 1; // bursts of 2
    QVERIFY(!limited.start(config));
    const auto client = connectClient(limited.state().port, "token=viewer-secret", {});
    QVERIFY(client);
    // Three acked events at once: the third is over the burst and refused with a reason.
    for (int id = 1; id <= 3; ++id)
        client->socket.sendTextMessage(
            QStringLiteral("42%1[\"set_name\",{\"name\":\"n%1\"}]").arg(id));
    QTRY_COMPARE(client->frames.size(), 5);
    for (int i : { 2, 3 }) {
        const QString &frame = client->frames.at(i);
        QVERIFY2(frame.startsWith(QStringLiteral("43%1[").arg(i - 1))
                     && frame.contains(u"\"ok\":true"),
                 qPrintable(frame));
    }
    QVERIFY2(client->frames.at(4).startsWith(u"433[")
                 && client->frames.at(4).contains(u"too_many_requests"),
             qPrintable(client->frames.at(4)));
    limited.stop();
}

void TestServerController::portInUseIsAnError()
{
    ServerController second;
    ServerConfig config = m_controller.config();
    config.port = m_controller.state().port;
    config.dataDir = m_dir.filePath(QStringLiteral("second"));
    const Status started = second.start(config);
    QVERIFY(started);
    QVERIFY2(started->message.contains(u"already in use"), qPrintable(started->message));
    QVERIFY(second.state().status == ServerState::Status::Failed);
    QCOMPARE(second.state().error, started->message);
}

QTEST_GUILESS_MAIN(TestServerController)
#include "tst_servercontroller.moc"
