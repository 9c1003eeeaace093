// RedisStore against a real redis-server (tests/common/redisserver.h): URLs, AUTH/SELECT, Unix
// sockets, key layout, Redis stopped, killed, hanging or late while writes go on, the bounded
// buffer, registry expiry of a crashed instance (a child process killed with SIGKILL), and
// close() flushing. The behaviour shared with FileStore is in tst_store.

#include "redisserver.h"

#include "server/storage/redisstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <cstdio>
#include <memory>

#include <signal.h>

using namespace mmv;
using namespace mmv::storage;

namespace {

using Objects = QList<QJsonObject>;
using MaybeObject = std::optional<QJsonObject>;

constexpr char RegistryChildArgument[] = "--registry-child";

template<typename T>
std::optional<Result<T>> await(const std::function<void(Store::Reply<T>)> &call,
                               int timeoutMs = 10000)
{
    auto answer = std::make_shared<std::optional<Result<T>>>();
    call([answer](Result<T> result) { *answer = std::move(result); });
    (void)QTest::qWaitFor([&] { return answer->has_value(); }, timeoutMs);
    return *answer;
}

/// Short timeouts so that the tests see reconnects and fallbacks quickly.
RedisStore::Options quickOptions()
{
    RedisStore::Options options;
    options.reconnectMinMs = 20;
    options.reconnectMaxMs = 200;
    options.connectTimeoutMs = 1000;
    options.readTimeoutMs = 1000;
    return options;
}

QJsonObject message(int seq)
{
    return QJsonObject{ { QStringLiteral("seq"), seq },
                        { QStringLiteral("text"), QStringLiteral("message %1").arg(seq) } };
}

QList<int> seqs(const Objects &objects)
{
    QList<int> out;
    for (const QJsonObject &object : objects)
        out.append(object.value(u"seq").toInt());
    return out;
}

QList<int> range(int from, int to) // [from, to)
{
    QList<int> out;
    for (int i = from; i < to; ++i)
        out.append(i);
    return out;
}

QSet<QString> ids(const Objects &objects)
{
    QSet<QString> out;
    for (const QJsonObject &object : objects)
        out.insert(object.value(u"id").toString());
    return out;
}

/// The child of registryExpiresWhenInstanceDies(): registers two connections, says "ready"
/// once they are visible in Redis, then keeps refreshing them until it is killed.
int runRegistryChild(const QString &url, int ttlMs, int refreshMs)
{
    RedisStore::Options options = quickOptions();
    options.registryTtlMs = ttlMs;
    options.registryRefreshMs = refreshMs;
    RedisStore store(url, options);
    if (store.open())
        return 2;
    for (const QString &id : { QStringLiteral("child-1"), QStringLiteral("child-2") })
        store.registerConnection(id, QJsonObject{ { QStringLiteral("id"), id } });
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &store, [&] {
        store.connections([&poll](Result<Objects> all) {
            if (poll.isActive() && all && ids(all.value()).contains(QStringLiteral("child-2"))) {
                poll.stop();
                std::printf("ready\n");
                std::fflush(stdout);
            }
        });
    });
    poll.start(20);
    QTimer::singleShot(60000, qApp, &QCoreApplication::quit); // if nobody kills it
    return QCoreApplication::exec();
}

/// Waits until the store has seen Redis fail: from then on, reads answer from memory at once
/// (nothing is cached for session "probe", so the answer is Unavailable).
bool waitUntilKnownDown(Store &store)
{
    return QTest::qWaitFor([&] {
        QElapsedTimer timer;
        timer.start();
        const auto answer = await<Objects>(
            [&](Store::Reply<Objects> r) { store.chatHistory(QStringLiteral("probe"), 10, r); });
        return answer && !answer->ok() && answer->error().code == ErrorCode::Unavailable
            && timer.elapsed() < 100;
    });
}

} // namespace

#define AWAIT_OK(var, T, call) \
    const auto var##Answer = await<T>([&](Store::Reply<T> reply) { call; }); \
    QVERIFY2(var##Answer.has_value(), "no reply"); \
    QVERIFY2(var##Answer->ok(), \
             var##Answer->ok() ? "" : qPrintable(var##Answer->error().message)); \
    const T &var = var##Answer->value()

#define REQUIRE_REDIS() \
    if (!RedisServer::isInstalled()) \
    QSKIP("redis-server is not installed (scripts/setup.sh installs it)")

#define START_REDIS(server, ...) \
    REQUIRE_REDIS(); \
    RedisServer server; \
    QVERIFY2(server.start(__VA_ARGS__), qPrintable(server.errorString()))

class TestRedisStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void endpointParsing_data();
    void endpointParsing();
    void invalidUrlFailsToOpen();
    void authAndDatabaseFromUrl_data();
    void authAndDatabaseFromUrl();
    void refusedAuthStaysDown_data();
    void refusedAuthStaysDown();
    void unixSocket();
    void hostNames_data();
    void hostNames();
    void keysAreNamespaced();
    void chatStreamIsCapped();
    void readsWhileDownAnswerPromptly();
    void redisArrivesLate();
    void restartLosesNothing();
    void crashKeepsWhatWasWrittenWhileDown();
    void hangingRedisDoesNotHangReads();
    void bufferOverflowDropsOldest_data();
    void bufferOverflowDropsOldest();
    void registryExpiresWhenInstanceDies();
    void closeFlushesQueuedWrites();
    void closeWhileDownCountsLosses();
};

void TestRedisStore::endpointParsing_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("socketPath");
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("db");

    const QString none;
    QTest::newRow("host") << "redis://localhost" << true << "localhost" << 6379 << none << none
                          << none << 0;
    QTest::newRow("host:port") << "redis://127.0.0.1:7000" << true << "127.0.0.1" << 7000 << none
                               << none << none << 0;
    QTest::newRow("db") << "redis://10.0.0.5:6380/4" << true << "10.0.0.5" << 6380 << none << none
                        << none << 4;
    QTest::newRow("trailing slash")
        << "redis://h/" << true << "h" << 6379 << none << none << none << 0;
    QTest::newRow("password") << "redis://:s%40cret@h:1/2" << true << "h" << 1 << none << none
                              << "s@cret" << 2;
    QTest::newRow("user and password")
        << "redis://alice:pw@h" << true << "h" << 6379 << none << "alice"
        << "pw" << 0;
    QTest::newRow("ipv6") << "redis://[::1]:6390" << true << "::1" << 6390 << none << none << none
                          << 0;
    QTest::newRow("db as parameter")
        << "redis://h?db=5" << true << "h" << 6379 << none << none << none << 5;
    QTest::newRow("unix") << "unix:///run/redis/redis.sock" << true << none << 6379
                          << "/run/redis/redis.sock" << none << none << 0;
    QTest::newRow("unix with db and password")
        << "unix:///tmp/r.sock?db=3&password=pw" << true << none << 6379 << "/tmp/r.sock" << none
        << "pw" << 3;
    QTest::newRow("spaces around")
        << "  redis://h:2  " << true << "h" << 2 << none << none << none << 0;

    QTest::newRow("empty") << "" << false << none << 0 << none << none << none << 0;
    QTest::newRow("no scheme") << "localhost:6379" << false << none << 0 << none << none << none
                               << 0;
    QTest::newRow("http") << "http://h" << false << none << 0 << none << none << none << 0;
    QTest::newRow("tls") << "rediss://h" << false << none << 0 << none << none << none << 0;
    QTest::newRow("no host") << "redis://:6379" << false << none << 0 << none << none << none << 0;
    QTest::newRow("bad db") << "redis://h/x" << false << none << 0 << none << none << none << 0;
    QTest::newRow("negative db") << "redis://h/-1" << false << none << 0 << none << none << none
                                 << 0;
    QTest::newRow("db path and parameter")
        << "redis://h/1?db=2" << false << none << 0 << none << none << none << 0;
    QTest::newRow("user without password")
        << "redis://alice@h" << false << none << 0 << none << none << none << 0;
    QTest::newRow("unknown parameter")
        << "redis://h?timeout=3" << false << none << 0 << none << none << none << 0;
    QTest::newRow("unix with host")
        << "unix://host/tmp/r.sock" << false << none << 0 << none << none << none << 0;
    QTest::newRow("unix without path")
        << "unix://" << false << none << 0 << none << none << none << 0;
    QTest::newRow("bad port") << "redis://h:99999" << false << none << 0 << none << none << none
                              << 0;
}

void TestRedisStore::endpointParsing()
{
    QFETCH(QString, url);
    QFETCH(bool, valid);
    const Result<RedisEndpoint> endpoint = RedisEndpoint::parse(url);
    QCOMPARE(endpoint.ok(), valid);
    if (!valid) {
        QCOMPARE(endpoint.error().code, ErrorCode::InvalidArgument);
        return;
    }
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, socketPath);
    QFETCH(QString, username);
    QFETCH(QString, password);
    QFETCH(int, db);
    QCOMPARE(endpoint.value().host, host);
    QCOMPARE(int(endpoint.value().port), port);
    QCOMPARE(endpoint.value().socketPath, socketPath);
    QCOMPARE(endpoint.value().username, username);
    QCOMPARE(endpoint.value().password, password);
    QCOMPARE(endpoint.value().db, db);
    if (!password.isEmpty())
        QVERIFY(!endpoint.value().displayName().contains(password));
}

void TestRedisStore::invalidUrlFailsToOpen()
{
    RedisStore store(QStringLiteral("redis://"));
    const Status opened = store.open();
    QVERIFY(opened.has_value());
    QCOMPARE(opened->code, ErrorCode::InvalidArgument);
    QCOMPARE(store.health(), QStringLiteral("down"));
}

void TestRedisStore::authAndDatabaseFromUrl_data()
{
    QTest::addColumn<QString>("credentials");
    QTest::addColumn<int>("db");
    QTest::newRow("password, db 3") << QStringLiteral(":s3cret@") << 3;
    QTest::newRow("acl user, db 2") << QStringLiteral("alice:wonder@") << 2;
    QTest::newRow("password, db 0") << QStringLiteral(":s3cret@") << 0;
}

void TestRedisStore::authAndDatabaseFromUrl()
{
    QFETCH(QString, credentials);
    QFETCH(int, db);
    START_REDIS(redis,
                { QStringLiteral("--requirepass"), QStringLiteral("s3cret"),
                  QStringLiteral("--user"), QStringLiteral("alice"), QStringLiteral("on"),
                  QStringLiteral(">wonder"), QStringLiteral("~*"), QStringLiteral("&*"),
                  QStringLiteral("+@all") });
    RedisStore store(QStringLiteral("redis://") + credentials
                         + QStringLiteral("127.0.0.1:%1/%2").arg(redis.port()).arg(db),
                     quickOptions());
    QVERIFY(!store.open());
    QTRY_COMPARE(store.health(), QStringLiteral("connected"));
    store.appendChatMessage(QStringLiteral("s"), message(1));
    AWAIT_OK(history, Objects, store.chatHistory(QStringLiteral("s"), 10, reply));
    QCOMPARE(seqs(history), QList<int>{ 1 });

    const QStringList auth{ QStringLiteral("-a"), QStringLiteral("s3cret") };
    QCOMPARE(redis.cli({ QStringLiteral("XLEN"), QStringLiteral("mmv:chat:s") },
                       auth + QStringList{ QStringLiteral("-n"), QString::number(db) }),
             QByteArray("1"));
    if (db != 0)
        QCOMPARE(redis.cli({ QStringLiteral("DBSIZE") }, auth), QByteArray("0"));
}

void TestRedisStore::refusedAuthStaysDown_data()
{
    QTest::addColumn<QString>("credentials");
    QTest::addColumn<QString>("error");
    QTest::newRow("wrong password") << QStringLiteral(":wrong@") << QStringLiteral("WRONGPASS");
    QTest::newRow("no password") << QString() << QStringLiteral("NOAUTH");
}

void TestRedisStore::refusedAuthStaysDown()
{
    QFETCH(QString, credentials);
    QFETCH(QString, error);
    START_REDIS(redis, { QStringLiteral("--requirepass"), QStringLiteral("s3cret") });
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("cannot reach Redis.*") + error));
    RedisStore store(QStringLiteral("redis://") + credentials
                         + QStringLiteral("127.0.0.1:%1").arg(redis.port()),
                     quickOptions());
    QVERIFY(!store.open());
    store.appendChatMessage(QStringLiteral("s"), message(1));
    QVERIFY(waitUntilKnownDown(store));
    QCOMPARE(store.health(), QStringLiteral("down"));
    QCOMPARE(store.pendingWrites(), 1);
    QCOMPARE(
        redis.cli({ QStringLiteral("DBSIZE") }, { QStringLiteral("-a"), QStringLiteral("s3cret") }),
        QByteArray("0"));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("1 buffered writes lost at shutdown")));
    store.close();
    QCOMPARE(store.droppedWrites(), qint64(1));
}

void TestRedisStore::unixSocket()
{
    REQUIRE_REDIS();
    RedisServer redis;
    const QString socket = redis.directory() + QStringLiteral("/redis.sock");
    QVERIFY2(redis.start({ QStringLiteral("--unixsocket"), socket,
                           QStringLiteral("--unixsocketperm"), QStringLiteral("700") }),
             qPrintable(redis.errorString()));
    RedisStore store(QStringLiteral("unix://%1?db=2").arg(socket), quickOptions());
    QVERIFY(!store.open());
    QTRY_COMPARE(store.health(), QStringLiteral("connected"));
    store.setLatestStatus(QStringLiteral("v"), QJsonObject{ { QStringLiteral("progress"), 5 } });
    AWAIT_OK(status, MaybeObject, store.latestStatus(QStringLiteral("v"), reply));
    QCOMPARE(status, MaybeObject(QJsonObject{ { QStringLiteral("progress"), 5 } }));
    QCOMPARE(redis.cli({ QStringLiteral("GET"), QStringLiteral("mmv:status:v") },
                       { QStringLiteral("-n"), QStringLiteral("2") }),
             QByteArray(R"({"progress":5})"));
}

void TestRedisStore::hostNames_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("reachable");
    QTest::newRow("localhost") << QStringLiteral("localhost") << true;
    QTest::newRow("unknown name") << QStringLiteral("no-such-host.invalid") << false;
}

void TestRedisStore::hostNames()
{
    QFETCH(QString, host);
    QFETCH(bool, reachable);
    START_REDIS(redis);
    RedisStore store(QStringLiteral("redis://%1:%2").arg(host).arg(redis.port()), quickOptions());
    if (!reachable)
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("cannot reach Redis at ") + host));
    QVERIFY(!store.open());
    if (reachable) {
        // localhost may resolve to ::1 first, where this redis-server does not listen: the
        // next attempt takes the next address.
        QTRY_COMPARE_WITH_TIMEOUT(store.health(), QStringLiteral("connected"), 10000);
        store.appendChatMessage(QStringLiteral("s"), message(1));
        AWAIT_OK(history, Objects, store.chatHistory(QStringLiteral("s"), 10, reply));
        QCOMPARE(seqs(history), QList<int>{ 1 });
    } else {
        QVERIFY(waitUntilKnownDown(store));
        QCOMPARE(store.health(), QStringLiteral("down"));
    }
}

void TestRedisStore::keysAreNamespaced()
{
    START_REDIS(redis);
    RedisStore store(redis.url(), quickOptions());
    QVERIFY(!store.open());
    QTRY_COMPARE(store.health(), QStringLiteral("connected"));
    store.appendChatMessage(QStringLiteral("."), message(1));
    store.setLatestStatus(QStringLiteral("v"), QJsonObject{ { QStringLiteral("progress"), 1 } });
    store.appendResult(QStringLiteral("v"), QJsonObject{ { QStringLiteral("seq"), 1 } });
    store.appendJournal(QJsonObject{ { QStringLiteral("seq"), 1 } });
    store.registerConnection(QStringLiteral("sock"),
                             QJsonObject{ { QStringLiteral("id"), QStringLiteral("sock") } });
    AWAIT_OK(all, Objects, store.connections(reply)); // after every write above
    QCOMPARE(ids(all), QSet<QString>{ QStringLiteral("sock") });

    const QString registry = QStringLiteral("mmv:conn:") + store.instanceId();
    QList<QByteArray> keys = redis.cli({ QStringLiteral("KEYS"), QStringLiteral("*") }).split('\n');
    std::sort(keys.begin(), keys.end());
    QCOMPARE(keys,
             (QList<QByteArray>{ "mmv:chat:.", registry.toUtf8(), "mmv:instances", "mmv:journal",
                                 "mmv:results:v", "mmv:status:v" }));
    const auto type = [&](const QString &key) {
        return redis.cli({ QStringLiteral("TYPE"), key });
    };
    QCOMPARE(type(QStringLiteral("mmv:chat:.")), QByteArray("stream"));
    QCOMPARE(type(registry), QByteArray("hash"));
    QCOMPARE(type(QStringLiteral("mmv:instances")), QByteArray("zset"));
    QCOMPARE(type(QStringLiteral("mmv:journal")), QByteArray("stream"));
    QCOMPARE(type(QStringLiteral("mmv:results:v")), QByteArray("list"));
    QCOMPARE(type(QStringLiteral("mmv:status:v")), QByteArray("string"));
    const int ttl = redis.cli({ QStringLiteral("PTTL"), registry }).toInt();
    QVERIFY2(ttl > 0 && ttl <= 30000, qPrintable(QString::number(ttl)));
    const QByteArray entry = redis.cli({ QStringLiteral("XRANGE"), QStringLiteral("mmv:chat:."),
                                         QStringLiteral("-"), QStringLiteral("+") });
    QVERIFY2(entry.contains("\nm\n{\"seq\":1,\"text\":\"message 1\"}"), entry.constData());
}

void TestRedisStore::chatStreamIsCapped()
{
    START_REDIS(redis);
    RedisStore::Options options = quickOptions();
    options.chatMaxLen = 100;
    RedisStore store(redis.url(), options);
    QVERIFY(!store.open());
    QTRY_COMPARE(store.health(), QStringLiteral("connected"));
    for (int i = 0; i < 2000; ++i)
        store.appendChatMessage(QStringLiteral("capped"), message(i));
    AWAIT_OK(history, Objects, store.chatHistory(QStringLiteral("capped"), 5000, reply));
    // MAXLEN ~ trims whole blocks: at least 100 stay, and not many more.
    const int length
        = redis.cli({ QStringLiteral("XLEN"), QStringLiteral("mmv:chat:capped") }).toInt();
    QVERIFY2(length >= 100 && length <= 300, qPrintable(QString::number(length)));
    QCOMPARE(seqs(history), range(2000 - length, 2000));
}

void TestRedisStore::readsWhileDownAnswerPromptly()
{
    START_REDIS(redis);
    RedisStore store(redis.url(), quickOptions());
    QSignalSpy health(&store, &Store::healthChanged);
    QVERIFY(!store.open());
    QTRY_COMPARE(store.health(), QStringLiteral("connected"));
    for (int i = 0; i < 3; ++i)
        store.appendChatMessage(QStringLiteral("known"), message(i));
    store.setLatestStatus(QStringLiteral("v"), QJsonObject{ { QStringLiteral("progress"), 50 } });
    store.appendResult(QStringLiteral("v"), QJsonObject{ { QStringLiteral("seq"), 1 } });
    store.appendJournal(QJsonObject{ { QStringLiteral("seq"), 7 } });
    store.registerConnection(QStringLiteral("local"),
                             QJsonObject{ { QStringLiteral("id"), QStringLiteral("local") } });
    store.clearVideo(QStringLiteral("cleared"));
    QTRY_COMPARE(store.pendingWrites(), 0);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("lost Redis at")));
    redis.kill();
    QTRY_COMPARE(store.health(), QStringLiteral("down"));
    QTRY_COMPARE(health.size(), 2);
    QCOMPARE(health.at(0).at(0).toString(), QStringLiteral("connected"));
    QCOMPARE(health.at(1).at(0).toString(), QStringLiteral("down"));

    store.appendChatMessage(QStringLiteral("known"), message(3)); // buffered, and cached
    QElapsedTimer timer;
    timer.start();
    AWAIT_OK(history, Objects, store.chatHistory(QStringLiteral("known"), 10, reply));
    QCOMPARE(seqs(history), range(0, 4));
    AWAIT_OK(last2, Objects, store.chatHistory(QStringLiteral("known"), 2, reply));
    QCOMPARE(seqs(last2), range(2, 4));
    AWAIT_OK(status, MaybeObject, store.latestStatus(QStringLiteral("v"), reply));
    QCOMPARE(status, MaybeObject(QJsonObject{ { QStringLiteral("progress"), 50 } }));
    AWAIT_OK(cleared, MaybeObject, store.latestStatus(QStringLiteral("cleared"), reply));
    QVERIFY(!cleared.has_value());
    AWAIT_OK(journal, Objects, store.journal(10, reply));
    QCOMPARE(seqs(journal), QList<int>{ 7 });
    AWAIT_OK(connections, Objects, store.connections(reply));
    QCOMPARE(ids(connections), QSet<QString>{ QStringLiteral("local") });

    const auto unavailable = [](const auto &answer) {
        return answer && !answer->ok() && answer->error().code == ErrorCode::Unavailable;
    };
    QVERIFY(unavailable(await<Objects>(
        [&](Store::Reply<Objects> r) { store.chatHistory(QStringLiteral("unknown"), 10, r); })));
    QVERIFY(unavailable(await<MaybeObject>(
        [&](Store::Reply<MaybeObject> r) { store.latestStatus(QStringLiteral("unknown"), r); })));
    QVERIFY(unavailable(
        await<Objects>([&](Store::Reply<Objects> r) { store.results(QStringLiteral("v"), r); })));
    // Every answer came from memory, without waiting for a timeout.
    QVERIFY2(timer.elapsed() < 500, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(store.pendingWrites(), 1);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("1 buffered writes lost at shutdown")));
    store.close();
}

void TestRedisStore::redisArrivesLate()
{
    REQUIRE_REDIS();
    const quint16 port = RedisServer::freePort();
    RedisStore store(QStringLiteral("redis://127.0.0.1:%1").arg(port), quickOptions());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot reach Redis")));
    QVERIFY(!store.open()); // unreachable is not a configuration error
    QCOMPARE(store.health(), QStringLiteral("down"));
    for (int i = 0; i < 5; ++i)
        store.appendChatMessage(QStringLiteral("s"), message(i));
    QCOMPARE(store.pendingWrites(), 5);
    QElapsedTimer timer;
    timer.start();
    const auto answer = await<MaybeObject>(
        [&](Store::Reply<MaybeObject> r) { store.latestStatus(QStringLiteral("v"), r); });
    QVERIFY(answer && !answer->ok());
    QCOMPARE(answer->error().code, ErrorCode::Unavailable);
    QVERIFY(timer.elapsed() < 1500); // at most the read timeout

    RedisServer redis;
    QVERIFY2(redis.start({}, port), qPrintable(redis.errorString()));
    QTRY_COMPARE(store.health(), QStringLiteral("connected"));
    QTRY_COMPARE(store.pendingWrites(), 0);
    AWAIT_OK(history, Objects, store.chatHistory(QStringLiteral("s"), 10, reply));
    QCOMPARE(seqs(history), range(0, 5));
    QCOMPARE(store.droppedWrites(), qint64(0));
}

void TestRedisStore::restartLosesNothing()
{
    START_REDIS(redis);
    RedisStore::Options options = quickOptions();
    options.chatMaxLen = 1000000;
    RedisStore store(redis.url(), options);
    QSignalSpy health(&store, &Store::healthChanged);
    QVERIFY(!store.open());
    QTRY_COMPARE(store.health(), QStringLiteral("connected"));
    QTRY_COMPARE(health.size(), 1);
    health.clear();

    int appended = 0;
    QTimer chatter;
    chatter.setInterval(1);
    connect(&chatter, &QTimer::timeout, &store, [&] {
        for (int i = 0; i < 3; ++i, ++appended)
            store.appendChatMessage(QStringLiteral("chat"), message(appended));
    });
    chatter.start();
    QTRY_VERIFY(appended > 300);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("lost Redis at")));
    QVERIFY2(redis.stop(), qPrintable(redis.errorString())); // SHUTDOWN SAVE, while chatting
    QTRY_COMPARE(store.health(), QStringLiteral("down"));
    const int whenDown = appended;
    QTRY_VERIFY(appended > whenDown + 300); // chatting on while Redis is away
    QVERIFY(store.pendingWrites() >= 300);

    QVERIFY2(redis.restart(), qPrintable(redis.errorString()));
    QTRY_COMPARE(store.health(), QStringLiteral("connected"));
    const int whenBack = appended;
    QTRY_VERIFY(appended > whenBack + 300);
    chatter.stop();
    QTRY_COMPARE(store.pendingWrites(), 0);
    QCOMPARE(store.droppedWrites(), qint64(0));

    // Every message, once, in order.
    AWAIT_OK(history, Objects, store.chatHistory(QStringLiteral("chat"), appended + 100, reply));
    QCOMPARE(seqs(history), range(0, appended));
    QCOMPARE(redis.cli({ QStringLiteral("XLEN"), QStringLiteral("mmv:chat:chat") }).toInt(),
             appended);
    QCOMPARE(health.size(), 2);
    QCOMPARE(health.at(0).at(0).toString(), QStringLiteral("down"));
    QCOMPARE(health.at(1).at(0).toString(), QStringLiteral("connected"));
}

void TestRedisStore::crashKeepsWhatWasWrittenWhileDown()
{
    START_REDIS(redis);
    RedisStore::Options options = quickOptions();
    options.chatMaxLen = 1000000;
    RedisStore store(redis.url(), options);
    QVERIFY(!store.open());
    QTRY_COMPARE(store.health(), QStringLiteral("connected"));
    store.registerConnection(QStringLiteral("survivor"),
                             QJsonObject{ { QStringLiteral("id"), QStringLiteral("survivor") } });

    int appended = 0;
    QTimer chatter;
    chatter.setInterval(1);
    connect(&chatter, &QTimer::timeout, &store, [&] {
        for (int i = 0; i < 3; ++i, ++appended)
            store.appendChatMessage(QStringLiteral("chat"), message(appended));
    });
    chatter.start();
    QTRY_VERIFY(appended > 300);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("lost Redis at")));
    redis.kill(); // its data set is gone
    QTRY_COMPARE(store.health(), QStringLiteral("down"));
    const int whenDown = appended;
    store.setLatestStatus(QStringLiteral("v"), QJsonObject{ { QStringLiteral("progress"), 9 } });
    QTRY_VERIFY(appended > whenDown + 300);

    QVERIFY2(redis.restart(), qPrintable(redis.errorString()));
    QTRY_COMPARE(store.health(), QStringLiteral("connected"));
    chatter.stop();
    QTRY_COMPARE(store.pendingWrites(), 0);
    QCOMPARE(store.droppedWrites(), qint64(0));

    // What Redis held when it crashed is gone; what was in flight or written since is all
    // there, once each, in order.
    AWAIT_OK(history, Objects, store.chatHistory(QStringLiteral("chat"), appended + 100, reply));
    const QList<int> got = seqs(history);
    QVERIFY(!got.isEmpty());
    QVERIFY2(got.first() <= whenDown,
             qPrintable(QStringLiteral("%1 > %2").arg(got.first()).arg(whenDown)));
    QCOMPARE(got, range(got.first(), appended));
    AWAIT_OK(status, MaybeObject, store.latestStatus(QStringLiteral("v"), reply));
    QCOMPARE(status, MaybeObject(QJsonObject{ { QStringLiteral("progress"), 9 } }));
    // The registry is written again on reconnect.
    AWAIT_OK(connections, Objects, store.connections(reply));
    QCOMPARE(ids(connections), QSet<QString>{ QStringLiteral("survivor") });
}

void TestRedisStore::hangingRedisDoesNotHangReads()
{
    START_REDIS(redis);
    RedisStore::Options options = quickOptions();
    options.readTimeoutMs = 300;
    options.commandTimeoutMs = 1000;
    RedisStore store(redis.url(), options);
    QVERIFY(!store.open());
    QTRY_COMPARE(store.health(), QStringLiteral("connected"));
    for (int i = 0; i < 3; ++i)
        store.appendChatMessage(QStringLiteral("s"), message(i));
    QTRY_COMPARE(store.pendingWrites(), 0);

    redis.pause(); // accepts connections, answers nothing
    for (int i = 3; i < 6; ++i) // sent, never answered: resent after reconnecting
        store.appendChatMessage(QStringLiteral("s"), message(i));
    QElapsedTimer timer;
    timer.start();
    AWAIT_OK(history, Objects, store.chatHistory(QStringLiteral("s"), 10, reply));
    QCOMPARE(seqs(history), range(0, 6)); // from the cache, after the read timeout
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));

    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("lost Redis at.*no reply")));
    QTRY_COMPARE(store.health(), QStringLiteral("down"));
    for (int i = 6; i < 9; ++i)
        store.appendChatMessage(QStringLiteral("s"), message(i));
    redis.resume();
    QTRY_COMPARE_WITH_TIMEOUT(store.health(), QStringLiteral("connected"), 10000);
    QTRY_COMPARE(store.pendingWrites(), 0);
    AWAIT_OK(after, Objects, store.chatHistory(QStringLiteral("s"), 100, reply));
    QCOMPARE(seqs(after), range(0, 9));
}

void TestRedisStore::bufferOverflowDropsOldest_data()
{
    QTest::addColumn<int>("bufferLimit");
    QTest::addColumn<qint64>("bytesLimit");
    QTest::addColumn<int>("kept");
    // A write of a message with 10 KB of text takes about 10,330 bytes: 67,000 bytes hold 6.
    QTest::newRow("by count") << 10 << qint64(0) << 10;
    QTest::newRow("by size") << 1000 << qint64(67000) << 6;
}

void TestRedisStore::bufferOverflowDropsOldest()
{
    QFETCH(int, bufferLimit);
    QFETCH(qint64, bytesLimit);
    QFETCH(int, kept);
    REQUIRE_REDIS();
    const quint16 port = RedisServer::freePort();
    RedisStore::Options options = quickOptions();
    options.bufferLimit = bufferLimit;
    if (bytesLimit > 0)
        options.bufferBytesLimit = bytesLimit;
    RedisStore store(QStringLiteral("redis://127.0.0.1:%1").arg(port), options);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot reach Redis")));
    QVERIFY(!store.open());

    // One warning for the whole burst: the rest is counted, not logged.
    const QRegularExpression full(QStringLiteral("write buffer full"));
    QTest::ignoreMessage(QtWarningMsg, full);
    QTest::failOnWarning(full);
    const QString text(10 * 1024, u't');
    for (int i = 0; i < 25; ++i) {
        QJsonObject m = message(i);
        m.insert(QStringLiteral("text"), text);
        store.appendChatMessage(QStringLiteral("s"), m);
    }
    QCOMPARE(store.pendingWrites(), kept);
    QCOMPARE(store.droppedWrites(), qint64(25 - kept));

    RedisServer redis;
    QVERIFY2(redis.start({}, port), qPrintable(redis.errorString()));
    QTRY_COMPARE(store.health(), QStringLiteral("connected"));
    QTRY_COMPARE(store.pendingWrites(), 0);
    AWAIT_OK(history, Objects, store.chatHistory(QStringLiteral("s"), 100, reply));
    QCOMPARE(seqs(history), range(25 - kept, 25)); // the oldest were dropped
    QCOMPARE(store.droppedWrites(), qint64(25 - kept));
}

void TestRedisStore::registryExpiresWhenInstanceDies()
{
    START_REDIS(redis);
    RedisStore::Options options = quickOptions();
    options.registryTtlMs = 1000;
    options.registryRefreshMs = 200;
    RedisStore store(redis.url(), options);
    QVERIFY(!store.open());
    store.registerConnection(QStringLiteral("parent-1"),
                             QJsonObject{ { QStringLiteral("id"), QStringLiteral("parent-1") } });
    QTRY_COMPARE(store.health(), QStringLiteral("connected"));

    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("mmv.redis.info=false"));
    child.setProcessEnvironment(environment);
    child.start(QCoreApplication::applicationFilePath(),
                { QLatin1String(RegistryChildArgument), redis.url(),
                  QString::number(options.registryTtlMs),
                  QString::number(options.registryRefreshMs) });
    QVERIFY(child.waitForStarted());
    QByteArray output;
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     output += child.readAllStandardOutput();
                     return output.contains("ready") || child.state() == QProcess::NotRunning;
                 },
                 20000),
             "the child did not register");
    QVERIFY2(output.contains("ready"), output.constData());

    const QSet<QString> everyone{ QStringLiteral("parent-1"), QStringLiteral("child-1"),
                                  QStringLiteral("child-2") };
    {
        AWAIT_OK(all, Objects, store.connections(reply));
        QCOMPARE(ids(all), everyone);
    }

    ::kill(pid_t(child.processId()), SIGKILL); // no unregistering, no clean-up
    QVERIFY(child.waitForFinished(5000));
    // The child's entries go within a TTL; the parent's, registered before the child started,
    // stay because the parent refreshes them (without that they would expire first).
    QElapsedTimer sinceKill;
    sinceKill.start();
    QVERIFY(QTest::qWaitFor(
        [&] {
            const auto all = await<Objects>([&](Store::Reply<Objects> r) { store.connections(r); });
            return all && all->ok()
                && ids(all->value()) == QSet<QString>{ QStringLiteral("parent-1") };
        },
        10000));
    QVERIFY2(sinceKill.elapsed() <= 2 * options.registryTtlMs + 1000,
             qPrintable(QString::number(sinceKill.elapsed())));
    QCOMPARE(redis.cli({ QStringLiteral("ZCARD"), QStringLiteral("mmv:instances") }),
             QByteArray("1"));
}

void TestRedisStore::closeFlushesQueuedWrites()
{
    START_REDIS(redis);
    QString instance;
    {
        RedisStore store(redis.url(), quickOptions());
        QVERIFY(!store.open());
        QTRY_COMPARE(store.health(), QStringLiteral("connected"));
        instance = store.instanceId();
        store.registerConnection(QStringLiteral("c"),
                                 QJsonObject{ { QStringLiteral("id"), QStringLiteral("c") } });
        for (int i = 0; i < 5000; ++i)
            store.appendChatMessage(QStringLiteral("s"), message(i));
        QVERIFY(store.pendingWrites() > 0);
        // Destroyed without returning to the event loop: close() writes the rest.
    }
    QCOMPARE(redis.cli({ QStringLiteral("XLEN"), QStringLiteral("mmv:chat:s") }),
             QByteArray("5000"));
    QCOMPARE(redis.cli({ QStringLiteral("EXISTS"), QStringLiteral("mmv:conn:") + instance }),
             QByteArray("0"));
    QCOMPARE(redis.cli({ QStringLiteral("ZCARD"), QStringLiteral("mmv:instances") }),
             QByteArray("0"));

    RedisStore store(redis.url(), quickOptions());
    QVERIFY(!store.open());
    QTRY_COMPARE(store.health(), QStringLiteral("connected"));
    AWAIT_OK(history, Objects, store.chatHistory(QStringLiteral("s"), 10000, reply));
    QCOMPARE(seqs(history), range(0, 5000));
}

void TestRedisStore::closeWhileDownCountsLosses()
{
    REQUIRE_REDIS();
    RedisStore store(QStringLiteral("redis://127.0.0.1:%1").arg(RedisServer::freePort()),
                     quickOptions());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot reach Redis")));
    QVERIFY(!store.open());
    for (int i = 0; i < 3; ++i)
        store.appendChatMessage(QStringLiteral("s"), message(i));
    QVERIFY(waitUntilKnownDown(store));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("3 buffered writes lost at shutdown")));
    store.close();
    QCOMPARE(store.droppedWrites(), qint64(3));
    QCOMPARE(store.pendingWrites(), 0);
    // Writes after close are refused and counted.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("store is closed")));
    store.appendChatMessage(QStringLiteral("s"), message(4));
    QCOMPARE(store.droppedWrites(), qint64(4));
}

int main(int argc, char **argv)
{
    if (argc >= 5 && qstrcmp(argv[1], RegistryChildArgument) == 0) {
        QCoreApplication app(argc, argv);
        return runRegistryChild(QString::fromLocal8Bit(argv[2]), QByteArray(argv[3]).toInt(),
                                QByteArray(argv[4]).toInt());
    }
    QCoreApplication app(argc, argv);
    TestRedisStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_redisstore.moc"
