// One behavioural suite for every Store: run against FileStore (in a temporary data
// directory) and RedisStore (on a real redis-server on a free loopback port), via
// initTestCase_data(). What one store does, the other must do too.

#include "redisserver.h"

#include "server/storage/filestore.h"
#include "server/storage/redisstore.h"

#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace mmv;
using namespace mmv::storage;

namespace {

constexpr int JournalCap = 50;

/// Waits (running the event loop) for a store's reply; nothing if none came.
template<typename T>
std::optional<Result<T>> await(const std::function<void(Store::Reply<T>)> &call,
                               int timeoutMs = 10000)
{
    auto answer = std::make_shared<std::optional<Result<T>>>();
    call([answer](Result<T> result) { *answer = std::move(result); });
    (void)QTest::qWaitFor([&] { return answer->has_value(); }, timeoutMs);
    return *answer;
}

QJsonObject message(const QString &session, int n, const QString &text = {})
{
    return QJsonObject{ { QStringLiteral("session_id"), session },
                        { QStringLiteral("seq"), n },
                        { QStringLiteral("text"),
                          text.isEmpty() ? QStringLiteral("message %1").arg(n) : text } };
}

QList<int> seqs(const QList<QJsonObject> &objects)
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

} // namespace

// Awaits a reply into `var` (a const reference to the value), failing the test on no reply or
// an error.
#define AWAIT_OK(var, T, call) \
    const auto var##Answer = await<T>([&](Store::Reply<T> reply) { call; }); \
    QVERIFY2(var##Answer.has_value(), "no reply"); \
    QVERIFY2(var##Answer->ok(), \
             var##Answer->ok() ? "" : qPrintable(var##Answer->error().message)); \
    const T &var = var##Answer->value()

using Objects = QList<QJsonObject>;
using MaybeObject = std::optional<QJsonObject>;

class TestStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data();
    void initTestCase();
    void init();
    void cleanup();

    void kindAndHealth();
    void chatHistoryOrderAndLimit_data();
    void chatHistoryOrderAndLimit();
    void sessionsAreSeparate();
    void unicodeText_data();
    void unicodeText();
    void largeValues();
    void latestStatusIsReplaced();
    void resultsKeepTheirOrder();
    void clearVideo();
    void connectionRegistry();
    void journalIsCapped();
    void survivesReopen();
    void invalidIdsAreRefused_data();
    void invalidIdsAreRefused();

private:
    bool isRedis() const;
    void openStore();

    RedisServer m_redis;
    bool m_redisStarted = false;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Store> m_store;
};

void TestStore::initTestCase_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("file") << QStringLiteral("file");
    QTest::newRow("redis") << QStringLiteral("redis");
}

void TestStore::initTestCase()
{
    if (RedisServer::isInstalled()) {
        m_redisStarted = m_redis.start();
        QVERIFY2(m_redisStarted, qPrintable(m_redis.errorString()));
    }
}

bool TestStore::isRedis() const
{
    QFETCH_GLOBAL(QString, kind);
    return kind == u"redis";
}

void TestStore::openStore()
{
    if (isRedis()) {
        RedisStore::Options options;
        options.journalMaxLen = JournalCap;
        m_store = std::make_unique<RedisStore>(m_redis.url(), options);
    } else {
        FileStore::Options options;
        options.journalCap = JournalCap;
        m_store = std::make_unique<FileStore>(m_dir->path(), options);
    }
    const Status opened = m_store->open();
    QVERIFY2(!opened, opened ? qPrintable(opened->message) : "");
    if (isRedis())
        QTRY_COMPARE(m_store->health(), QStringLiteral("connected"));
}

void TestStore::init()
{
    if (isRedis()) {
        if (!RedisServer::isInstalled())
            QSKIP("redis-server is not installed (scripts/setup.sh installs it)");
        QVERIFY(m_redisStarted);
        QCOMPARE(m_redis.cli({ QStringLiteral("FLUSHALL") }), QByteArray("OK"));
    }
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    openStore();
}

void TestStore::cleanup()
{
    if (m_store) {
        // Nothing in this suite is meant to be lost.
        QCOMPARE(m_store->droppedWrites(), qint64(0));
        QTRY_COMPARE(m_store->pendingWrites(), 0);
    }
    m_store.reset();
    m_dir.reset();
}

void TestStore::kindAndHealth()
{
    if (isRedis()) {
        QCOMPARE(m_store->kind(), QStringLiteral("redis"));
        QCOMPARE(m_store->health(), QStringLiteral("connected"));
    } else {
        QCOMPARE(m_store->kind(), QStringLiteral("file"));
        QCOMPARE(m_store->health(), QStringLiteral("disabled"));
    }
}

void TestStore::chatHistoryOrderAndLimit_data()
{
    QTest::addColumn<QString>("session");
    QTest::newRow("plain") << QStringLiteral("s1");
    QTest::newRow("dot") << QStringLiteral(".");
    QTest::newRow("dot dot") << QStringLiteral("..");
    QTest::newRow("a.b") << QStringLiteral("a.b");
    QTest::newRow("punctuation only") << QStringLiteral("-_.");
    QTest::newRow("128 characters") << QString(128, u'x');
}

void TestStore::chatHistoryOrderAndLimit()
{
    QFETCH(QString, session);
    {
        AWAIT_OK(empty, Objects, m_store->chatHistory(session, 10, reply));
        QVERIFY(empty.isEmpty());
    }
    for (int i = 0; i < 25; ++i)
        m_store->appendChatMessage(session, message(session, i));

    AWAIT_OK(last5, Objects, m_store->chatHistory(session, 5, reply));
    QCOMPARE(seqs(last5), range(20, 25));
    QCOMPARE(last5.last(), message(session, 24));

    AWAIT_OK(all, Objects, m_store->chatHistory(session, 1000, reply));
    QCOMPARE(seqs(all), range(0, 25));

    AWAIT_OK(one, Objects, m_store->chatHistory(session, 1, reply));
    QCOMPARE(seqs(one), QList<int>{ 24 });

    AWAIT_OK(none, Objects, m_store->chatHistory(session, 0, reply));
    QVERIFY(none.isEmpty());
}

void TestStore::sessionsAreSeparate()
{
    const QStringList sessions{ QStringLiteral("."),   QStringLiteral(".."), QStringLiteral("..."),
                                QStringLiteral("a"),   QStringLiteral("A"),  QStringLiteral("a.b"),
                                QStringLiteral("a-b"), QStringLiteral("a_b") };
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < sessions.size(); ++i)
            m_store->appendChatMessage(sessions[i], message(sessions[i], round * 100 + i));
    }
    for (int i = 0; i < sessions.size(); ++i) {
        AWAIT_OK(history, Objects, m_store->chatHistory(sessions[i], 100, reply));
        QCOMPARE(seqs(history), (QList<int>{ i, 100 + i, 200 + i }));
        for (const QJsonObject &m : history)
            QCOMPARE(m.value(u"session_id").toString(), sessions[i]);
    }
}

void TestStore::unicodeText_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("umlauts") << QStringLiteral("Grüße aus Köln, Straße");
    QTest::newRow("cjk") << QStringLiteral("视频分析 ビデオ 비디오");
    QTest::newRow("emoji") << QStringLiteral("🎬🦜 👍🏽 👨‍👩‍👧");
    QTest::newRow("rtl") << QStringLiteral("مرحبا שלום");
    QTest::newRow("escapes") << QStringLiteral("line1\nline2\r\n\t\"quoted\" back\\slash");
    QTest::newRow("control") << (QStringLiteral("nul") + QChar(0) + QStringLiteral("bell\a"));
    QTest::newRow("json-looking") << QStringLiteral("{\"seq\":999}\n{\"x\":1}");
}

void TestStore::unicodeText()
{
    QFETCH(QString, text);
    const QJsonObject sent = message(QStringLiteral("u"), 1, text);
    m_store->appendChatMessage(QStringLiteral("u"), sent);
    m_store->appendChatMessage(QStringLiteral("u"), message(QStringLiteral("u"), 2));
    m_store->setLatestStatus(QStringLiteral("v"), QJsonObject{ { QStringLiteral("stage"), text } });
    m_store->appendResult(QStringLiteral("v"), QJsonObject{ { QStringLiteral("label"), text } });
    m_store->appendJournal(QJsonObject{ { QStringLiteral("note"), text } });

    AWAIT_OK(history, Objects, m_store->chatHistory(QStringLiteral("u"), 10, reply));
    QCOMPARE(history.size(), 2);
    QCOMPARE(history.first().value(u"text").toString(), text);
    QCOMPARE(history.first(), sent);
    AWAIT_OK(status, MaybeObject, m_store->latestStatus(QStringLiteral("v"), reply));
    QVERIFY(status.has_value());
    QCOMPARE(status->value(u"stage").toString(), text);
    AWAIT_OK(results, Objects, m_store->results(QStringLiteral("v"), reply));
    QCOMPARE(results.size(), 1);
    QCOMPARE(results.first().value(u"label").toString(), text);
    AWAIT_OK(journal, Objects, m_store->journal(10, reply));
    QCOMPARE(journal.size(), 1);
    QCOMPARE(journal.first().value(u"note").toString(), text);
}

void TestStore::largeValues()
{
    QString big;
    big.reserve(100 * 1024);
    for (int i = 0; big.size() < 100 * 1024; ++i)
        big += QStringLiteral("%1 ünïcödé ").arg(i);
    const QJsonObject value{ { QStringLiteral("text"), big }, { QStringLiteral("seq"), 1 } };

    for (int i = 0; i < 5; ++i) {
        QJsonObject m = value;
        m.insert(QStringLiteral("seq"), i);
        m_store->appendChatMessage(QStringLiteral("big"), m);
    }
    m_store->setLatestStatus(QStringLiteral("big"), value);
    m_store->appendResult(QStringLiteral("big"), value);
    m_store->appendJournal(value);
    m_store->registerConnection(QStringLiteral("c"), value);

    AWAIT_OK(history, Objects, m_store->chatHistory(QStringLiteral("big"), 3, reply));
    QCOMPARE(seqs(history), (QList<int>{ 2, 3, 4 }));
    for (const QJsonObject &m : history)
        QCOMPARE(m.value(u"text").toString(), big);
    AWAIT_OK(status, MaybeObject, m_store->latestStatus(QStringLiteral("big"), reply));
    QCOMPARE(status, MaybeObject(value));
    AWAIT_OK(results, Objects, m_store->results(QStringLiteral("big"), reply));
    QCOMPARE(results, Objects{ value });
    AWAIT_OK(journal, Objects, m_store->journal(5, reply));
    QCOMPARE(journal, Objects{ value });
    AWAIT_OK(connections, Objects, m_store->connections(reply));
    QCOMPARE(connections, Objects{ value });
}

void TestStore::latestStatusIsReplaced()
{
    {
        AWAIT_OK(none, MaybeObject, m_store->latestStatus(QStringLiteral("v1"), reply));
        QVERIFY(!none.has_value());
    }
    for (int progress = 0; progress <= 100; progress += 10) {
        m_store->setLatestStatus(QStringLiteral("v1"),
                                 QJsonObject{ { QStringLiteral("video_id"), QStringLiteral("v1") },
                                              { QStringLiteral("progress"), progress } });
    }
    m_store->setLatestStatus(QStringLiteral("v2"),
                             QJsonObject{ { QStringLiteral("video_id"), QStringLiteral("v2") },
                                          { QStringLiteral("progress"), 7 } });

    AWAIT_OK(v1, MaybeObject, m_store->latestStatus(QStringLiteral("v1"), reply));
    QVERIFY(v1.has_value());
    QCOMPARE(v1->value(u"progress").toInt(), 100);
    AWAIT_OK(v2, MaybeObject, m_store->latestStatus(QStringLiteral("v2"), reply));
    QVERIFY(v2.has_value());
    QCOMPARE(v2->value(u"progress").toInt(), 7);
}

void TestStore::resultsKeepTheirOrder()
{
    Objects expected;
    for (int i = 0; i < 200; ++i) {
        const QJsonObject result{ { QStringLiteral("seq"), i },
                                  { QStringLiteral("type"),
                                    i % 2 ? QStringLiteral("visual_analysis_result")
                                          : QStringLiteral("content_analysis_update") },
                                  { QStringLiteral("boxes"), QJsonArray{ i, i + 1 } } };
        expected.append(result);
        m_store->appendResult(QStringLiteral("video"), result);
    }
    AWAIT_OK(results, Objects, m_store->results(QStringLiteral("video"), reply));
    QCOMPARE(results, expected);
    AWAIT_OK(other, Objects, m_store->results(QStringLiteral("other"), reply));
    QVERIFY(other.isEmpty());
}

void TestStore::clearVideo()
{
    for (const QString &video : { QStringLiteral("gone"), QStringLiteral("kept") }) {
        m_store->setLatestStatus(video, QJsonObject{ { QStringLiteral("video_id"), video } });
        for (int i = 0; i < 3; ++i)
            m_store->appendResult(video, QJsonObject{ { QStringLiteral("seq"), i } });
    }
    m_store->clearVideo(QStringLiteral("gone"));

    AWAIT_OK(status, MaybeObject, m_store->latestStatus(QStringLiteral("gone"), reply));
    QVERIFY(!status.has_value());
    AWAIT_OK(results, Objects, m_store->results(QStringLiteral("gone"), reply));
    QVERIFY(results.isEmpty());
    AWAIT_OK(keptStatus, MaybeObject, m_store->latestStatus(QStringLiteral("kept"), reply));
    QVERIFY(keptStatus.has_value());
    AWAIT_OK(keptResults, Objects, m_store->results(QStringLiteral("kept"), reply));
    QCOMPARE(seqs(keptResults), range(0, 3));

    // Re-analysis after clearing starts from nothing.
    m_store->appendResult(QStringLiteral("gone"), QJsonObject{ { QStringLiteral("seq"), 9 } });
    AWAIT_OK(again, Objects, m_store->results(QStringLiteral("gone"), reply));
    QCOMPARE(seqs(again), QList<int>{ 9 });
    // Clearing an unknown video is harmless.
    m_store->clearVideo(QStringLiteral("never-seen"));
}

void TestStore::connectionRegistry()
{
    const auto info = [](const QString &id, const QString &name) {
        return QJsonObject{ { QStringLiteral("id"), id }, { QStringLiteral("name"), name } };
    };
    const auto names = [](const Objects &objects) {
        QSet<QString> out;
        for (const QJsonObject &o : objects)
            out.insert(o.value(u"id").toString() + u'=' + o.value(u"name").toString());
        return out;
    };
    {
        AWAIT_OK(empty, Objects, m_store->connections(reply));
        QVERIFY(empty.isEmpty());
    }
    m_store->registerConnection(QStringLiteral("sock-a"),
                                info(QStringLiteral("sock-a"), QStringLiteral("A")));
    m_store->registerConnection(QStringLiteral("sock-b"),
                                info(QStringLiteral("sock-b"), QStringLiteral("B")));
    m_store->registerConnection(QStringLiteral("sock-c"),
                                info(QStringLiteral("sock-c"), QStringLiteral("C")));
    {
        AWAIT_OK(three, Objects, m_store->connections(reply));
        QCOMPARE(names(three),
                 (QSet<QString>{ QStringLiteral("sock-a=A"), QStringLiteral("sock-b=B"),
                                 QStringLiteral("sock-c=C") }));
    }
    m_store->unregisterConnection(QStringLiteral("sock-b"));
    m_store->registerConnection(QStringLiteral("sock-a"),
                                info(QStringLiteral("sock-a"), QStringLiteral("renamed")));
    m_store->unregisterConnection(QStringLiteral("never-registered"));
    {
        AWAIT_OK(two, Objects, m_store->connections(reply));
        QCOMPARE(names(two),
                 (QSet<QString>{ QStringLiteral("sock-a=renamed"), QStringLiteral("sock-c=C") }));
    }
    m_store->unregisterConnection(QStringLiteral("sock-a"));
    m_store->unregisterConnection(QStringLiteral("sock-c"));
    AWAIT_OK(none, Objects, m_store->connections(reply));
    QVERIFY(none.isEmpty());
}

void TestStore::journalIsCapped()
{
    const int appended = 5 * JournalCap + 7;
    for (int i = 0; i < appended; ++i)
        m_store->appendJournal(
            QJsonObject{ { QStringLiteral("seq"), i },
                         { QStringLiteral("action"), QStringLiteral("broadcast") } });
    AWAIT_OK(all, Objects, m_store->journal(10 * JournalCap, reply));
    QCOMPARE(seqs(all), range(appended - JournalCap, appended));
    AWAIT_OK(last3, Objects, m_store->journal(3, reply));
    QCOMPARE(seqs(last3), range(appended - 3, appended));
    AWAIT_OK(none, Objects, m_store->journal(0, reply));
    QVERIFY(none.isEmpty());
}

void TestStore::survivesReopen()
{
    for (int i = 0; i < 10; ++i)
        m_store->appendChatMessage(QStringLiteral("s"), message(QStringLiteral("s"), i));
    m_store->setLatestStatus(QStringLiteral("v"),
                             QJsonObject{ { QStringLiteral("progress"), 42 } });
    m_store->appendResult(QStringLiteral("v"), QJsonObject{ { QStringLiteral("seq"), 1 } });
    m_store->appendJournal(QJsonObject{ { QStringLiteral("seq"), 1 } });
    // Closing flushes; a new store on the same data finds everything.
    m_store.reset();
    openStore();

    AWAIT_OK(history, Objects, m_store->chatHistory(QStringLiteral("s"), 100, reply));
    QCOMPARE(seqs(history), range(0, 10));
    AWAIT_OK(status, MaybeObject, m_store->latestStatus(QStringLiteral("v"), reply));
    QCOMPARE(status, MaybeObject(QJsonObject{ { QStringLiteral("progress"), 42 } }));
    AWAIT_OK(results, Objects, m_store->results(QStringLiteral("v"), reply));
    QCOMPARE(seqs(results), QList<int>{ 1 });
    AWAIT_OK(journal, Objects, m_store->journal(10, reply));
    QCOMPARE(seqs(journal), QList<int>{ 1 });

    for (int i = 10; i < 15; ++i)
        m_store->appendChatMessage(QStringLiteral("s"), message(QStringLiteral("s"), i));
    AWAIT_OK(more, Objects, m_store->chatHistory(QStringLiteral("s"), 100, reply));
    QCOMPARE(seqs(more), range(0, 15));
}

void TestStore::invalidIdsAreRefused_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("empty") << QString();
    QTest::newRow("slash") << QStringLiteral("a/b");
    QTest::newRow("parent path") << QStringLiteral("../etc");
    QTest::newRow("backslash") << QStringLiteral("a\\b");
    QTest::newRow("space") << QStringLiteral("a b");
    QTest::newRow("colon") << QStringLiteral("a:b");
    QTest::newRow("star") << QStringLiteral("*");
    QTest::newRow("nul") << (QStringLiteral("a") + QChar(0));
    QTest::newRow("non-ascii") << QStringLiteral("ü");
    QTest::newRow("129 characters") << QString(129, u'x');
    QTest::newRow("10000 characters") << QString(10000, u'x');
}

void TestStore::invalidIdsAreRefused()
{
    QFETCH(QString, id);
    const auto expectError = [](const auto &answer) {
        QVERIFY2(answer.has_value(), "no reply");
        QVERIFY(!answer->ok());
        QCOMPARE(answer->error().code, ErrorCode::InvalidArgument);
    };
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("invalid session id")));
    m_store->appendChatMessage(id, message(id, 1));
    expectError(await<Objects>([&](Store::Reply<Objects> r) { m_store->chatHistory(id, 10, r); }));
    expectError(
        await<MaybeObject>([&](Store::Reply<MaybeObject> r) { m_store->latestStatus(id, r); }));
    expectError(await<Objects>([&](Store::Reply<Objects> r) { m_store->results(id, r); }));
    // Warnings about the rest are rate-limited; each refused write is counted.
    m_store->setLatestStatus(id, QJsonObject{ { QStringLiteral("x"), 1 } });
    m_store->appendResult(id, QJsonObject{ { QStringLiteral("x"), 1 } });
    m_store->clearVideo(id);
    QCOMPARE(m_store->droppedWrites(), qint64(4));
    QCOMPARE(m_store->pendingWrites(), 0);

    if (!isRedis()) {
        // Nothing was created outside the store's folders.
        const QString root = static_cast<FileStore *>(m_store.get())->directory();
        QCOMPARE(QDir(m_dir->path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
                 QStringList{ QStringLiteral("store") });
        for (const QString &sub :
             { QStringLiteral("chat"), QStringLiteral("results"), QStringLiteral("status") })
            QVERIFY(QDir(root + u'/' + sub).isEmpty());
    } else {
        QCOMPARE(m_redis.cli({ QStringLiteral("DBSIZE") }), QByteArray("0"));
    }
    // The counted drops are intended here, not a failure of the suite.
    m_store.reset();
}

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
