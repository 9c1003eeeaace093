#include "server/core/settings.h"

#include <QTemporaryDir>
#include <QTest>

using mmv::Settings;

class TestSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void precedence();
    void overriddenValuesAreNotStored();
    void tokensArePersisted();
    void invalidFileValueFallsBackToDefault();
    void environmentErrorNamesTheVariable();
};

void TestSettings::parse_data()
{
    QTest::addColumn<Settings::Key>("key");
    QTest::addColumn<QString>("raw");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QVariant>("expected");

    QTest::addRow("port") << Settings::Key::Port << "9000" << true << QVariant(9000u);
    QTest::addRow("port zero") << Settings::Key::Port << "0" << true << QVariant(0u);
    QTest::addRow("port too big") << Settings::Key::Port << "65536" << false << QVariant();
    QTest::addRow("port text") << Settings::Key::Port << "http" << false << QVariant();
    QTest::addRow("port negative") << Settings::Key::Port << "-1" << false << QVariant();
    QTest::addRow("bind any") << Settings::Key::Bind << "any" << true << QVariant("any");
    QTest::addRow("bind ipv4 any")
        << Settings::Key::Bind << "0.0.0.0" << true << QVariant("0.0.0.0");
    QTest::addRow("bind localhost")
        << Settings::Key::Bind << "localhost" << true << QVariant("127.0.0.1");
    QTest::addRow("bind ipv6") << Settings::Key::Bind << "::1" << true << QVariant("::1");
    QTest::addRow("bind garbage") << Settings::Key::Bind << "300.1.1.1" << false << QVariant();
    QTest::addRow("size plain") << Settings::Key::MaxUpload << "1048576" << true
                                << QVariant(qint64(1048576));
    QTest::addRow("size G") << Settings::Key::MaxUpload << "4G" << true
                            << QVariant(qint64(4) * 1024 * 1024 * 1024);
    QTest::addRow("size MiB") << Settings::Key::MaxUpload << "512MiB" << true
                              << QVariant(qint64(512) * 1024 * 1024);
    QTest::addRow("size fraction")
        << Settings::Key::MaxUpload << "1.5k" << true << QVariant(qint64(1536));
    QTest::addRow("size zero") << Settings::Key::MaxUpload << "0" << false << QVariant();
    QTest::addRow("size unit only") << Settings::Key::MaxUpload << "G" << false << QVariant();
    QTest::addRow("no-auth yes") << Settings::Key::NoAuth << "yes" << true << QVariant(true);
    QTest::addRow("no-auth 0") << Settings::Key::NoAuth << "0" << true << QVariant(false);
    QTest::addRow("no-auth maybe") << Settings::Key::NoAuth << "maybe" << false << QVariant();
    QTest::addRow("cors list") << Settings::Key::CorsOrigins
                               << "http://a.example:3000, https://b.example/" << true
                               << QVariant(
                                      QStringList{ "http://a.example:3000", "https://b.example" });
    QTest::addRow("cors star") << Settings::Key::CorsOrigins << "*" << true
                               << QVariant(QStringList{ "*" });
    QTest::addRow("cors path") << Settings::Key::CorsOrigins << "http://a.example/x" << false
                               << QVariant();
    QTest::addRow("cors scheme") << Settings::Key::CorsOrigins << "ftp://a.example" << false
                                 << QVariant();
    QTest::addRow("event rate") << Settings::Key::EventRateLimit << "100" << true
                                << QVariant(100.0);
    QTest::addRow("event rate fraction")
        << Settings::Key::EventRateLimit << "0.5" << true << QVariant(0.5);
    QTest::addRow("event rate off")
        << Settings::Key::EventRateLimit << "0" << true << QVariant(0.0);
    QTest::addRow("event rate negative")
        << Settings::Key::EventRateLimit << "-1" << false << QVariant();
    QTest::addRow("chat rate text")
        << Settings::Key::ChatRateLimit << "fast" << false << QVariant();
    QTest::addRow("chat rate nan") << Settings::Key::ChatRateLimit << "nan" << false << QVariant();
    QTest::addRow("hosts list") << Settings::Key::AllowedHosts
                                << "Video.Example.org, proxy, [::1], 10.0.0.7" << true
                                << QVariant(QStringList{ "video.example.org", "proxy", "::1",
                                                         "10.0.0.7" });
    QTest::addRow("hosts with port")
        << Settings::Key::AllowedHosts << "proxy:8080" << false << QVariant();
    QTest::addRow("hosts with scheme")
        << Settings::Key::AllowedHosts << "http://proxy" << false << QVariant();
    QTest::addRow("redis url") << Settings::Key::Redis << "redis://127.0.0.1:6379/2" << true
                               << QVariant("redis://127.0.0.1:6379/2");
    QTest::addRow("redis none") << Settings::Key::Redis << "" << true << QVariant(QString());
    QTest::addRow("redis http") << Settings::Key::Redis << "http://x" << false << QVariant();
    QTest::addRow("token") << Settings::Key::OperatorToken << "abc123" << true
                           << QVariant("abc123");
    QTest::addRow("token space") << Settings::Key::OperatorToken << "a b" << false << QVariant();
    QTest::addRow("lang de") << Settings::Key::Lang << "de" << true << QVariant("de");
    QTest::addRow("lang region") << Settings::Key::Lang << "pt_BR" << true << QVariant("pt_BR");
    QTest::addRow("lang bad") << Settings::Key::Lang << "../x" << false << QVariant();
}

void TestSettings::parse()
{
    QFETCH(Settings::Key, key);
    QFETCH(QString, raw);
    QFETCH(bool, valid);
    QFETCH(QVariant, expected);

    const auto result = Settings::parse(key, raw, QStringLiteral("--x"));
    QCOMPARE(result.ok(), valid);
    if (valid) {
        QCOMPARE(result.value(), expected);
    } else {
        QVERIFY2(result.error().message.contains(u"--x"), qPrintable(result.error().message));
        QCOMPARE(result.error().code, mmv::ErrorCode::InvalidArgument);
    }
}

void TestSettings::precedence()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("settings.ini"));
    {
        Settings settings(file);
        QCOMPARE(settings.port(), quint16(8765));
        QCOMPARE(settings.source(Settings::Key::Port), Settings::Source::Default);
        QVERIFY(!settings.store(Settings::Key::Port, QStringLiteral("1111")));
        QVERIFY(!settings.store(Settings::Key::Bind, QStringLiteral("127.0.0.1")));
    }
    Settings settings(file);
    QCOMPARE(settings.port(), quint16(1111));
    QCOMPARE(settings.source(Settings::Key::Port), Settings::Source::File);

    QProcessEnvironment env;
    env.insert(QStringLiteral("MMV_PORT"), QStringLiteral("2222"));
    env.insert(QStringLiteral("MMV_MAX_UPLOAD"), QStringLiteral("1M"));
    QVERIFY(!settings.applyEnvironment(env));
    QCOMPARE(settings.port(), quint16(2222));
    QCOMPARE(settings.source(Settings::Key::Port), Settings::Source::Environment);
    QCOMPARE(settings.maxUploadBytes(), qint64(1024 * 1024));

    QVERIFY(!settings.applyCommandLine(Settings::Key::Port, QStringLiteral("3333")));
    QCOMPARE(settings.port(), quint16(3333));
    QCOMPARE(settings.source(Settings::Key::Port), Settings::Source::CommandLine);
    // Untouched keys keep their lower layers.
    QCOMPARE(settings.bindAddress(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(settings.source(Settings::Key::Bind), Settings::Source::File);

    const mmv::ServerConfig config = settings.toServerConfig();
    QCOMPARE(config.port, quint16(3333));
    QCOMPARE(config.maxUploadBytes, qint64(1024 * 1024));
    QCOMPARE(config.bindAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(config.eventRateLimit, 50.0);
    QCOMPARE(config.chatRateLimit, 5.0);

    QVERIFY(!settings.applyCommandLine(Settings::Key::ChatRateLimit, QStringLiteral("20")));
    QVERIFY(!settings.applyCommandLine(Settings::Key::AllowedHosts, QStringLiteral("a,b")));
    QCOMPARE(settings.toServerConfig().chatRateLimit, 20.0);
    QCOMPARE(settings.toServerConfig().allowedHosts, QStringList({ "a", "b" }));
}

void TestSettings::overriddenValuesAreNotStored()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("settings.ini"));
    {
        Settings settings(file);
        QVERIFY(!settings.applyCommandLine(Settings::Key::Port, QStringLiteral("4444")));
        QVERIFY(settings.isOverridden(Settings::Key::Port));
        const mmv::Status stored = settings.store(Settings::Key::Port, QStringLiteral("5555"));
        QVERIFY(stored);
        QCOMPARE(stored->code, mmv::ErrorCode::Conflict);
        QVERIFY(settings.store(Settings::Key::Port, QStringLiteral("nonsense")) != std::nullopt);
    }
    Settings reread(file);
    QCOMPARE(reread.port(), quint16(8765));
    QCOMPARE(reread.source(Settings::Key::Port), Settings::Source::Default);
}

void TestSettings::tokensArePersisted()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("settings.ini"));
    QString operatorToken;
    QString viewerToken;
    {
        Settings settings(file);
        QVERIFY(settings.operatorToken().isEmpty());
        settings.ensureTokens();
        operatorToken = settings.operatorToken();
        viewerToken = settings.viewerToken();
        QVERIFY(operatorToken.size() >= 32);
        QVERIFY(viewerToken.size() >= 32);
        QVERIFY(operatorToken != viewerToken);
    }
    Settings settings(file);
    settings.ensureTokens(); // must not replace existing tokens
    QCOMPARE(settings.operatorToken(), operatorToken);
    QCOMPARE(settings.viewerToken(), viewerToken);
    QVERIFY(!settings.applyCommandLine(Settings::Key::ViewerToken, QStringLiteral("override")));
    QCOMPARE(settings.viewerToken(), QStringLiteral("override"));
    settings.regenerateTokens();
    QVERIFY(settings.operatorToken() != operatorToken);
}

void TestSettings::invalidFileValueFallsBackToDefault()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("settings.ini"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[General]\nport=notaport\nmax-upload=2G\n");
    }
    Settings settings(file);
    QCOMPARE(settings.port(), quint16(8765));
    QCOMPARE(settings.maxUploadBytes(), qint64(2) * 1024 * 1024 * 1024);
}

void TestSettings::environmentErrorNamesTheVariable()
{
    QTemporaryDir dir;
    Settings settings(dir.filePath(QStringLiteral("settings.ini")));
    QProcessEnvironment env;
    env.insert(QStringLiteral("MMV_PORT"), QStringLiteral("eighty"));
    const mmv::Status error = settings.applyEnvironment(env);
    QVERIFY(error);
    QVERIFY2(error->message.contains(u"MMV_PORT"), qPrintable(error->message));
    QVERIFY2(error->message.contains(u"eighty"), qPrintable(error->message));
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
