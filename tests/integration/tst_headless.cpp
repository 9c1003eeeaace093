// The real binary, started with --headless as a user would: it prints where to connect,
// answers HTTP, holds many idle connections, and exits cleanly on SIGTERM/SIGINT.

#include "rawhttpclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>
#include <vector>

namespace {

QString appBinary()
{
    return qEnvironmentVariable("MMV_APP_BINARY");
}

/// A headless instance of the application in its own data and config directory.
class HeadlessApp
{
public:
    explicit HeadlessApp(const QString &dir)
        : m_dir(dir)
    { }
    ~HeadlessApp()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
        }
    }

    void start(const QStringList &extraArguments = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MMV_CONFIG"), m_dir + QStringLiteral("/settings.ini"));
        env.remove(QStringLiteral("MMV_PORT"));
        process.setProcessEnvironment(env);
        process.setProgram(appBinary());
        process.setArguments(QStringList{ QStringLiteral("--headless"),
                                          QStringLiteral("--data-dir"),
                                          m_dir + QStringLiteral("/data") }
                             + extraArguments);
        process.start();
    }

    /// Waits for the banner and returns the port of the loopback URL (0 on failure).
    quint16 waitForPort()
    {
        static const QRegularExpression re(QStringLiteral("http://127\\.0\\.0\\.1:(\\d+)/"));
        for (int i = 0; i < 200; ++i) {
            output += process.readAllStandardOutput();
            if (output.contains("Press Ctrl+C")) {
                const auto match = re.match(QString::fromUtf8(output));
                return match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
            }
            if (process.state() == QProcess::NotRunning)
                return 0;
            process.waitForReadyRead(100);
        }
        return 0;
    }

    QString printed(const QString &label) const
    {
        const QRegularExpression re(QRegularExpression::escape(label)
                                    + QStringLiteral(":\\s+(\\S+)"));
        return re.match(QString::fromUtf8(output)).captured(1);
    }

    QProcess process;
    QByteArray output;

private:
    QString m_dir;
};

RawResponse fetch(quint16 port, const QByteArray &path)
{
    RawHttpClient client;
    if (!client.connectTo(port))
        return {};
    client.send(RawHttpClient::get(path));
    for (int i = 0; i < 100 && client.responses.isEmpty(); ++i)
        QTest::qWait(50);
    return client.responses.value(0);
}

} // namespace

class TestHeadless : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void servesHealthAndStopsOnSignal_data();
    void servesHealthAndStopsOnSignal();
    void tokensArePrintedAndKept();
    void portInUseIsOneClearError();
    void invalidOptionsAreRejected_data();
    void invalidOptionsAreRejected();
    void tenThousandIdleKeepAliveConnections();
};

void TestHeadless::initTestCase()
{
    QVERIFY2(QFile::exists(appBinary()), "MMV_APP_BINARY must name the built application");
}

void TestHeadless::servesHealthAndStopsOnSignal_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addRow("SIGTERM") << int(SIGTERM);
    QTest::addRow("SIGINT") << int(SIGINT);
}

void TestHeadless::servesHealthAndStopsOnSignal()
{
    QFETCH(int, signalNumber);
    QTemporaryDir dir;
    HeadlessApp app(dir.path());
    app.start({ QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--bind"),
                QStringLiteral("127.0.0.1") });
    const quint16 port = app.waitForPort();
    QVERIFY2(port != 0, app.output.constData());

    const RawResponse health = fetch(port, "/api/v1/health");
    QCOMPARE(health.status, 200);
    const QJsonObject json = QJsonDocument::fromJson(health.body).object();
    QCOMPARE(json.value(u"status").toString(), QStringLiteral("ok"));
    QCOMPARE(json.value(u"version").toString(), QStringLiteral(MMV_VERSION));
    QCOMPARE(json.value(u"storage").toString(), QStringLiteral("file"));
    QCOMPARE(json.value(u"redis").toString(), QStringLiteral("disabled"));
    QVERIFY(json.value(u"uptime_s").isDouble());
    QCOMPARE(json.value(u"connections").toInt(-1), 0);

    const RawResponse page = fetch(port, "/");
    QCOMPARE(page.status, 200);
    QVERIFY(page.header("content-type").startsWith("text/html"));
    QVERIFY(page.body.contains("MultiModelVideo"));

    QVERIFY(QDir(dir.filePath(QStringLiteral("data"))).exists());
    ::kill(pid_t(app.process.processId()), signalNumber);
    QVERIFY(app.process.waitForFinished(10000));
    QCOMPARE(app.process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.process.exitCode(), 0);
}

void TestHeadless::tokensArePrintedAndKept()
{
    QTemporaryDir dir;
    QString operatorToken;
    QString viewerToken;
    for (int run = 0; run < 2; ++run) {
        HeadlessApp app(dir.path());
        app.start({ QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--bind"),
                    QStringLiteral("127.0.0.1") });
        QVERIFY(app.waitForPort() != 0);
        if (run == 0) {
            operatorToken = app.printed(QStringLiteral("Operator token"));
            viewerToken = app.printed(QStringLiteral("Viewer token"));
            QVERIFY(operatorToken.size() >= 32);
            QVERIFY(viewerToken.size() >= 32);
            QVERIFY(app.printed(QStringLiteral("Viewer link")).endsWith(u"?token=" + viewerToken));
        } else {
            QCOMPARE(app.printed(QStringLiteral("Operator token")), operatorToken);
            QCOMPARE(app.printed(QStringLiteral("Viewer token")), viewerToken);
        }
        app.process.terminate();
        QVERIFY(app.process.waitForFinished(10000));
        QCOMPARE(app.process.exitCode(), 0);
    }
    const QSettings stored(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    QCOMPARE(stored.value(QStringLiteral("operator-token")).toString(), operatorToken);

    // An override is used but not stored, and --no-auth says so loudly.
    HeadlessApp app(dir.path());
    app.start({ QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--bind"),
                QStringLiteral("127.0.0.1"), QStringLiteral("--no-auth") });
    QVERIFY(app.waitForPort() != 0);
    QVERIFY(app.output.contains("WARNING: authentication is disabled"));
    app.process.terminate();
    QVERIFY(app.process.waitForFinished(10000));
}

void TestHeadless::portInUseIsOneClearError()
{
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
    QTemporaryDir dir;
    HeadlessApp app(dir.path());
    app.start({ QStringLiteral("--port"), QString::number(occupier.serverPort()),
                QStringLiteral("--bind"), QStringLiteral("127.0.0.1") });
    QVERIFY(app.process.waitForFinished(10000));
    QCOMPARE(app.process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.process.exitCode(), 2);
    const QByteArray stderrText = app.process.readAllStandardError().trimmed();
    QCOMPARE(stderrText.count('\n'), 0); // one line
    QVERIFY2(stderrText.contains("already in use"), stderrText.constData());
    QVERIFY(stderrText.contains(QByteArray::number(occupier.serverPort())));
}

void TestHeadless::invalidOptionsAreRejected_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("mentions");
    QTest::addRow("port") << QStringList{ QStringLiteral("--port"), QStringLiteral("99999") }
                          << QByteArray("--port");
    QTest::addRow("size") << QStringList{ QStringLiteral("--max-upload"), QStringLiteral("lots") }
                          << QByteArray("--max-upload");
    QTest::addRow("unknown") << QStringList{ QStringLiteral("--frobnicate") }
                             << QByteArray("frobnicate");
    QTest::addRow("origin") << QStringList{ QStringLiteral("--cors-origin"),
                                            QStringLiteral("nope") }
                            << QByteArray("--cors-origin");
}

void TestHeadless::invalidOptionsAreRejected()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, mentions);
    QTemporaryDir dir;
    HeadlessApp app(dir.path());
    app.start(arguments);
    QVERIFY(app.process.waitForFinished(10000));
    QCOMPARE(app.process.exitCode(), 1);
    const QByteArray stderrText = app.process.readAllStandardError();
    QVERIFY2(stderrText.contains(mentions), stderrText.constData());
}

void TestHeadless::tenThousandIdleKeepAliveConnections()
{
    constexpr int Count = 10000;
    QTemporaryDir dir;
    HeadlessApp app(dir.path());
    app.start({ QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--bind"),
                QStringLiteral("127.0.0.1") });
    const quint16 port = app.waitForPort();
    QVERIFY(port != 0);

    std::vector<std::unique_ptr<RawHttpClient>> clients;
    clients.reserve(Count);
    int answered = 0;
    for (int i = 0; i < Count; ++i) {
        auto client = std::make_unique<RawHttpClient>();
        client->socket.connectToHost(QHostAddress::LocalHost, port);
        QObject::connect(&client->socket, &QTcpSocket::connected, &client->socket,
                         [c = client.get()] { c->send(RawHttpClient::get("/api/v1/health")); });
        clients.push_back(std::move(client));
        if (i % 500 == 499) {
            // Let the batch connect before opening more, like a crowd arriving.
            QTRY_VERIFY_WITH_TIMEOUT(
                std::all_of(clients.end() - 500, clients.end(),
                            [](const auto &c) { return !c->responses.isEmpty() || c->closed; }),
                60000);
        }
    }
    answered = int(std::count_if(clients.begin(), clients.end(), [](const auto &c) {
        return c->responses.size() == 1 && c->responses.front().status == 200;
    }));
    QCOMPARE(answered, Count);
    const int open = int(
        std::count_if(clients.begin(), clients.end(), [](const auto &c) { return !c->closed; }));
    QCOMPARE(open, Count); // all still held open as keep-alive connections

    // With ten thousand idle connections held, a newcomer is still served promptly.
    RawHttpClient newcomer;
    QVERIFY(newcomer.connectTo(port));
    newcomer.send(RawHttpClient::get("/api/v1/health"));
    QTRY_COMPARE_WITH_TIMEOUT(newcomer.responses.size(), 1, 10000);
    QCOMPARE(newcomer.responses[0].status, 200);

    clients.clear();
    app.process.terminate();
    QVERIFY(app.process.waitForFinished(20000));
    QCOMPARE(app.process.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
