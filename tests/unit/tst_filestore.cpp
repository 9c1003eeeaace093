// FileStore on its own: file layout and names, torn and garbage lines, reading history from the
// end of a huge file, bounded open files, journal rotation, and a child process killed with
// SIGKILL while it appends (the test binary re-executed with --append-child).

#include "server/storage/filestore.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <cstdio>
#include <optional>

#include <signal.h>
#include <unistd.h>

using namespace mmv;
using namespace mmv::storage;

namespace {

using Objects = QList<QJsonObject>;
using MaybeObject = std::optional<QJsonObject>;

/// FileStore answers before the call returns; nothing if it did not.
template<typename T>
std::optional<Result<T>> answerOf(const std::function<void(Store::Reply<T>)> &call)
{
    std::optional<Result<T>> answer;
    call([&answer](Result<T> result) { answer = std::move(result); });
    return answer;
}

QList<int> seqs(const Objects &objects, const char *field = "seq")
{
    QList<int> out;
    for (const QJsonObject &object : objects)
        out.append(object.value(QLatin1String(field)).toInt());
    return out;
}

QList<int> range(int from, int to) // [from, to)
{
    QList<int> out;
    for (int i = from; i < to; ++i)
        out.append(i);
    return out;
}

QJsonObject record(int seq, const QString &text = QStringLiteral("hello"))
{
    return QJsonObject{ { QStringLiteral("seq"), seq }, { QStringLiteral("text"), text } };
}

QStringList entries(const QString &dir)
{
    QStringList names = QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    names.sort();
    return names;
}

int openDescriptors()
{
    return int(QDir(QStringLiteral("/proc/self/fd"))
                   .entryList(QDir::AllEntries | QDir::NoDotAndDotDot)
                   .size());
}

constexpr char ChildArgument[] = "--append-child";
const QString CrashSession = QStringLiteral("crash");

/// The child of crashMidWrite(): appends numbered records to one chat session, and a status
/// now and then, printing each number once its append has returned, until it is killed.
int runAppendChild(const QString &dataDir, int recordBytes)
{
    FileStore::Options options;
    options.statusFlushMs = 0; // written (atomically) before setLatestStatus() returns
    FileStore store(dataDir, options);
    if (store.open())
        return 2;
    int next = 0;
    store.chatHistory(CrashSession, 1, [&next](Result<Objects> history) {
        if (history && !history.value().isEmpty())
            next = history.value().last().value(u"n").toInt() + 1;
    });
    const QString filler(recordBytes, u'x');
    QElapsedTimer alive;
    alive.start();
    // Bounded, in case the parent dies without killing it.
    for (int n = next; alive.elapsed() < 60000; ++n) {
        store.appendChatMessage(
            CrashSession,
            QJsonObject{ { QStringLiteral("n"), n }, { QStringLiteral("text"), filler } });
        if (n % 50 == 0)
            store.setLatestStatus(QStringLiteral("v"), QJsonObject{ { QStringLiteral("n"), n } });
        std::printf("%d\n", n);
        std::fflush(stdout);
    }
    return 0;
}

} // namespace

class TestFileStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void layoutUsesPrefixedNames();
    void repliesBeforeReturning();
    void tornLastLineIsSkipped_data();
    void tornLastLineIsSkipped();
    void garbageLinesAreSkipped();
    void historyReadsFromTheEnd();
    void openFilesAreBounded();
    void statusIsReplacedAtomically();
    void statusUpdatesAreCoalesced();
    void statusesAreWrittenOffTheCallingThread();
    void journalRotates();
    void unusableDirectoryFailsToOpen();
    void oversizedRecordIsRefused();
    void crashMidWrite_data();
    void crashMidWrite();
};

void TestFileStore::layoutUsesPrefixedNames()
{
    QTemporaryDir dir;
    FileStore store(dir.path());
    QVERIFY(!store.open());
    QCOMPARE(store.directory(), dir.filePath(QStringLiteral("store")));
    for (const QString &id : { QStringLiteral("."), QStringLiteral(".."), QStringLiteral("a.b") }) {
        store.appendChatMessage(id, record(1));
        store.appendResult(id, record(1));
        store.setLatestStatus(id, record(1));
    }
    store.appendJournal(record(1));
    store.close(); // writes the pending statuses

    QCOMPARE(entries(dir.path()), QStringList{ QStringLiteral("store") });
    QCOMPARE(entries(store.directory()),
             (QStringList{ QStringLiteral("chat"), QStringLiteral("journal.jsonl"),
                           QStringLiteral("results"), QStringLiteral("status") }));
    QCOMPARE(entries(store.directory() + QStringLiteral("/chat")),
             (QStringList{ QStringLiteral("session-...jsonl"), QStringLiteral("session-..jsonl"),
                           QStringLiteral("session-a.b.jsonl") }));
    QCOMPARE(entries(store.directory() + QStringLiteral("/results")),
             (QStringList{ QStringLiteral("video-...jsonl"), QStringLiteral("video-..jsonl"),
                           QStringLiteral("video-a.b.jsonl") }));
    QCOMPARE(entries(store.directory() + QStringLiteral("/status")),
             (QStringList{ QStringLiteral("video-...json"), QStringLiteral("video-..json"),
                           QStringLiteral("video-a.b.json") }));
}

void TestFileStore::repliesBeforeReturning()
{
    QTemporaryDir dir;
    FileStore store(dir.path());
    QVERIFY(!store.open());
    store.appendChatMessage(QStringLiteral("s"), record(1));
    bool answered = false;
    store.chatHistory(QStringLiteral("s"), 10, [&answered](Result<Objects> history) {
        answered = history && history.value().size() == 1;
    });
    QVERIFY(answered);
}

void TestFileStore::tornLastLineIsSkipped_data()
{
    QTest::addColumn<QString>("area");
    QTest::newRow("chat") << QStringLiteral("chat");
    QTest::newRow("results") << QStringLiteral("results");
    QTest::newRow("journal") << QStringLiteral("journal");
}

void TestFileStore::tornLastLineIsSkipped()
{
    QFETCH(QString, area);
    QTemporaryDir dir;
    const auto append = [&](FileStore &store, int seq) {
        if (area == u"chat")
            store.appendChatMessage(QStringLiteral("s"), record(seq));
        else if (area == u"results")
            store.appendResult(QStringLiteral("s"), record(seq));
        else
            store.appendJournal(record(seq));
    };
    const auto read = [&](FileStore &store) {
        std::optional<Result<Objects>> answer;
        if (area == u"chat")
            answer = answerOf<Objects>(
                [&](Store::Reply<Objects> r) { store.chatHistory(QStringLiteral("s"), 100, r); });
        else if (area == u"results")
            answer = answerOf<Objects>(
                [&](Store::Reply<Objects> r) { store.results(QStringLiteral("s"), r); });
        else
            answer = answerOf<Objects>([&](Store::Reply<Objects> r) { store.journal(100, r); });
        return answer && answer->ok() ? seqs(answer->value()) : QList<int>{ -1 };
    };
    QString path;
    {
        FileStore store(dir.path());
        QVERIFY(!store.open());
        for (int i = 0; i < 3; ++i)
            append(store, i);
        path = store.directory()
            + (area == u"chat"          ? QStringLiteral("/chat/session-s.jsonl")
                   : area == u"results" ? QStringLiteral("/results/video-s.jsonl")
                                        : QStringLiteral("/journal.jsonl"));
    }
    // What a crash in the middle of the fourth write leaves behind.
    const QByteArray torn = R"({"seq":3,"text":"hel)";
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::Append));
        QCOMPARE(file.write(torn), torn.size());
    }
    FileStore store(dir.path());
    QVERIFY(!store.open());
    QCOMPARE(read(store), range(0, 3));
    append(store, 4);
    QCOMPARE(read(store), (QList<int>{ 0, 1, 2, 4 }));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 6); // 5 lines and the empty rest after the final newline
    QCOMPARE(lines.at(3), torn); // the torn record, alone on its line
    QCOMPARE(QJsonDocument::fromJson(lines.at(4)).object(), record(4));
    QVERIFY(lines.at(5).isEmpty());
}

void TestFileStore::garbageLinesAreSkipped()
{
    QTemporaryDir dir;
    FileStore store(dir.path());
    QVERIFY(!store.open());
    store.appendChatMessage(QStringLiteral("g"), record(0));
    {
        QFile file(store.directory() + QStringLiteral("/chat/session-g.jsonl"));
        QVERIFY(file.open(QIODevice::Append));
        file.write("not json\n[1,2,3]\n\n\"string\"\n{\"seq\":\n{}garbage\n");
    }
    store.appendChatMessage(QStringLiteral("g"), record(1));
    const auto all = answerOf<Objects>(
        [&](Store::Reply<Objects> r) { store.chatHistory(QStringLiteral("g"), 100, r); });
    QVERIFY(all && all->ok());
    QCOMPARE(seqs(all->value()), (QList<int>{ 0, 1 }));
    const auto last = answerOf<Objects>(
        [&](Store::Reply<Objects> r) { store.chatHistory(QStringLiteral("g"), 1, r); });
    QVERIFY(last && last->ok());
    QCOMPARE(seqs(last->value()), QList<int>{ 1 });
}

void TestFileStore::historyReadsFromTheEnd()
{
    QTemporaryDir dir;
    FileStore store(dir.path());
    QVERIFY(!store.open());
    // 16 GiB of zeros without a newline (a sparse file: no disk space used) before the records.
    // Reading from the start would take minutes and buffer all of it.
    {
        QFile file(store.directory() + QStringLiteral("/chat/session-huge.jsonl"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        if (!file.resize(qint64(16) << 30))
            QSKIP("the file system has no sparse files");
    }
    for (int i = 0; i < 20; ++i)
        store.appendChatMessage(QStringLiteral("huge"), record(i, QString(i * 1000, u'y')));

    QElapsedTimer timer;
    timer.start();
    const auto last10 = answerOf<Objects>(
        [&](Store::Reply<Objects> r) { store.chatHistory(QStringLiteral("huge"), 10, r); });
    QVERIFY(last10 && last10->ok());
    QCOMPARE(seqs(last10->value()), range(10, 20));
    const auto all20 = answerOf<Objects>(
        [&](Store::Reply<Objects> r) { store.chatHistory(QStringLiteral("huge"), 20, r); });
    QVERIFY(all20 && all20->ok());
    QCOMPARE(seqs(all20->value()), range(0, 20));
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));

    // Asking for more than there is reads back into the zeros, up to a bound, and stops.
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("has a line of more than")));
    const auto more = answerOf<Objects>(
        [&](Store::Reply<Objects> r) { store.chatHistory(QStringLiteral("huge"), 25, r); });
    QVERIFY(more && more->ok());
    QCOMPARE(seqs(more->value()), range(0, 20));
    QVERIFY2(timer.elapsed() < 20000, qPrintable(QString::number(timer.elapsed())));
}

void TestFileStore::openFilesAreBounded()
{
    QTemporaryDir dir;
    FileStore::Options options;
    options.maxOpenFiles = 16;
    FileStore store(dir.path(), options);
    QVERIFY(!store.open());
    const int before = openDescriptors();
    for (int round = 0; round < 2; ++round) {
        for (int s = 0; s < 500; ++s) {
            store.appendChatMessage(QStringLiteral("session-%1").arg(s), record(round));
            if (s % 5 == 0)
                store.appendResult(QStringLiteral("video-%1").arg(s), record(round));
        }
        QVERIFY(store.openFileCount() <= 16);
        QVERIFY2(
            openDescriptors() <= before + 16 + 2,
            qPrintable(
                QStringLiteral("%1 descriptors, %2 before").arg(openDescriptors()).arg(before)));
    }
    QCOMPARE(store.openFileCount(), 16);
    for (int s : { 0, 1, 250, 499 }) {
        const auto history = answerOf<Objects>([&](Store::Reply<Objects> r) {
            store.chatHistory(QStringLiteral("session-%1").arg(s), 10, r);
        });
        QVERIFY(history && history->ok());
        QCOMPARE(seqs(history->value()), (QList<int>{ 0, 1 }));
    }
    store.close();
    QCOMPARE(store.openFileCount(), 0);
}

void TestFileStore::statusIsReplacedAtomically()
{
    QTemporaryDir dir;
    FileStore::Options options;
    options.statusFlushMs = 0;
    FileStore store(dir.path(), options);
    QVERIFY(!store.open());
    const QString statusFile = store.directory() + QStringLiteral("/status/video-v.json");
    for (int progress = 0; progress <= 20; ++progress) {
        store.setLatestStatus(QStringLiteral("v"),
                              QJsonObject{ { QStringLiteral("progress"), progress } });
        QFile file(statusFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(file.readAll()).object().value(u"progress").toInt(),
                 progress);
    }
    // No temporary files left behind.
    QCOMPARE(entries(store.directory() + QStringLiteral("/status")),
             QStringList{ QStringLiteral("video-v.json") });
    // An unreadable status file counts as no status (with a warning), not as an error. (Read
    // by a store of a later run: the statuses set in this one are answered from memory.)
    store.close();
    {
        QFile file(statusFile);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("{\"progress\": 1");
    }
    FileStore later(dir.path(), options);
    QVERIFY(!later.open());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("unreadable status")));
    const auto status = answerOf<MaybeObject>(
        [&](Store::Reply<MaybeObject> r) { later.latestStatus(QStringLiteral("v"), r); });
    QVERIFY(status && status->ok());
    QVERIFY(!status->value().has_value());
}

void TestFileStore::statusUpdatesAreCoalesced()
{
    QTemporaryDir dir;
    FileStore::Options options;
    options.statusFlushMs = 100;
    const auto onDisk = [](const QString &path) {
        QFile file(path);
        return file.open(QIODevice::ReadOnly)
            ? QJsonDocument::fromJson(file.readAll()).object().value(u"progress").toInt(-1)
            : -1;
    };
    const auto latest = [](FileStore &store) {
        const auto answer = answerOf<MaybeObject>(
            [&](Store::Reply<MaybeObject> r) { store.latestStatus(QStringLiteral("v"), r); });
        return answer && answer->ok() && answer->value()
            ? answer->value()->value(u"progress").toInt()
            : -1;
    };
    QString statusFile;
    {
        FileStore store(dir.path(), options);
        QVERIFY(!store.open());
        statusFile = store.directory() + QStringLiteral("/status/video-v.json");
        for (int progress = 0; progress <= 1000; ++progress)
            store.setLatestStatus(QStringLiteral("v"),
                                  QJsonObject{ { QStringLiteral("progress"), progress } });
        QCOMPARE(latest(store), 1000); // from memory at once
        QCOMPARE(onDisk(statusFile), -1); // one write for all of them, later
        QTRY_COMPARE(onDisk(statusFile), 1000);

        store.setLatestStatus(QStringLiteral("v"),
                              QJsonObject{ { QStringLiteral("progress"), 1001 } });
        store.clearVideo(QStringLiteral("v")); // drops the pending update too
        QCOMPARE(latest(store), -1);
        store.setLatestStatus(QStringLiteral("v"),
                              QJsonObject{ { QStringLiteral("progress"), 1002 } });
        // Closing writes what is pending.
    }
    QCOMPARE(onDisk(statusFile), 1002);
    FileStore store(dir.path(), options);
    QVERIFY(!store.open());
    QCOMPARE(latest(store), 1002);
}

namespace {

/// The thread that logged "storage: wrote ..." last (FileStore's debug line after a status).
std::atomic<QThread *> statusWriterThread = nullptr;
QtMessageHandler previousHandler = nullptr;

} // namespace

void TestFileStore::statusesAreWrittenOffTheCallingThread()
{
    // The fsync of a status waits for the disk; the calling thread (the one that serves every
    // connection) must not: the writes are the store's own thread's, in order, and a failure
    // there still counts as a lost write.
    QLoggingCategory::setFilterRules(QStringLiteral("mmv.app.debug=true"));
    statusWriterThread = nullptr;
    previousHandler = qInstallMessageHandler(
        [](QtMsgType type, const QMessageLogContext &context, const QString &message) {
            if (message.startsWith(QLatin1String("storage: wrote")))
                statusWriterThread = QThread::currentThread();
            previousHandler(type, context, message);
        });
    const auto restore = qScopeGuard([] {
        qInstallMessageHandler(previousHandler);
        QLoggingCategory::setFilterRules(QStringLiteral("mmv.app.debug=false"));
    });
    QTemporaryDir dir;
    FileStore::Options options;
    options.statusFlushMs = 100;
    FileStore store(dir.path(), options);
    QVERIFY(!store.open());
    const QString statusFile = store.directory() + QStringLiteral("/status/video-v.json");
    const auto onDisk = [&statusFile] {
        QFile file(statusFile);
        return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object()
                                              : QJsonObject();
    };
    // A change of state is on the disk when the call returns (a crash must not lose it)...
    const QJsonObject running{ { QStringLiteral("state"), QStringLiteral("running") },
                               { QStringLiteral("progress"), 1 } };
    store.setLatestStatus(QStringLiteral("v"), running);
    QCOMPARE(onDisk(), running);
    // ... and progress is written later; both by the writer's thread.
    QJsonObject further = running;
    further.insert(QStringLiteral("progress"), 2);
    store.setLatestStatus(QStringLiteral("v"), further);
    QTRY_COMPARE(onDisk(), further);
    QVERIFY(statusWriterThread.load());
    QVERIFY2(statusWriterThread.load() != QThread::currentThread(), "written by the caller");

    // Cleared: gone at once for readers, and from the disk after the writes before it.
    store.clearVideo(QStringLiteral("v"));
    const auto cleared = answerOf<MaybeObject>(
        [&](Store::Reply<MaybeObject> r) { store.latestStatus(QStringLiteral("v"), r); });
    QVERIFY(cleared && cleared->ok() && !cleared->value().has_value());
    QTRY_VERIFY(!QFile::exists(statusFile));

    // A write that fails in the writer's thread is counted in the store's.
    QVERIFY(QDir(store.directory() + QStringLiteral("/status")).removeRecursively());
    {
        QFile blocker(store.directory() + QStringLiteral("/status"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
    }
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("write lost")));
    store.setLatestStatus(QStringLiteral("v"), further);
    QTRY_COMPARE(store.droppedWrites(), qint64(1));
}

void TestFileStore::journalRotates()
{
    QTemporaryDir dir;
    FileStore::Options options;
    options.journalCap = 10;
    const auto journal = [](FileStore &store, int limit) {
        const auto answer
            = answerOf<Objects>([&](Store::Reply<Objects> r) { store.journal(limit, r); });
        return answer && answer->ok() ? seqs(answer->value()) : QList<int>{ -1 };
    };
    {
        FileStore store(dir.path(), options);
        QVERIFY(!store.open());
        for (int i = 0; i < 35; ++i)
            store.appendJournal(record(i));
        QCOMPARE(journal(store, 100), range(25, 35));
        QCOMPARE(journal(store, 7), range(28, 35));
        QCOMPARE(journal(store, 3), range(32, 35));
        QStringList files = entries(store.directory()).filter(QStringLiteral("journal"));
        QCOMPARE(
            files,
            (QStringList{ QStringLiteral("journal.1.jsonl"), QStringLiteral("journal.jsonl") }));
    }
    // After a restart the count goes on from what is on disk.
    FileStore store(dir.path(), options);
    QVERIFY(!store.open());
    QCOMPARE(journal(store, 100), range(25, 35));
    for (int i = 35; i < 62; ++i)
        store.appendJournal(record(i));
    QCOMPARE(journal(store, 100), range(52, 62));
    QFile current(store.directory() + QStringLiteral("/journal.jsonl"));
    QVERIFY(current.open(QIODevice::ReadOnly));
    QVERIFY(current.readAll().count('\n') <= 10);
}

void TestFileStore::unusableDirectoryFailsToOpen()
{
    QTemporaryDir dir;
    const QString blocker = dir.filePath(QStringLiteral("blocker"));
    {
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    FileStore store(blocker); // a regular file where the data directory should be
    const Status opened = store.open();
    QVERIFY(opened.has_value());
    QCOMPARE(opened->code, ErrorCode::Internal);
    QVERIFY2(opened->message.contains(QStringLiteral("blocker")), qPrintable(opened->message));

    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("write lost: the store is not open")));
    store.appendChatMessage(QStringLiteral("s"), record(1));
    QCOMPARE(store.droppedWrites(), qint64(1));
}

void TestFileStore::oversizedRecordIsRefused()
{
    QTemporaryDir dir;
    FileStore store(dir.path());
    QVERIFY(!store.open());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("over the limit")));
    store.appendChatMessage(QStringLiteral("s"),
                            record(1, QString(FileStore::MaxRecordBytes, u'x')));
    store.appendChatMessage(QStringLiteral("s"), record(2));
    QCOMPARE(store.droppedWrites(), qint64(1));
    const auto history = answerOf<Objects>(
        [&](Store::Reply<Objects> r) { store.chatHistory(QStringLiteral("s"), 10, r); });
    QVERIFY(history && history->ok());
    QCOMPARE(seqs(history->value()), QList<int>{ 2 });
}

void TestFileStore::crashMidWrite_data()
{
    QTest::addColumn<int>("recordBytes");
    QTest::addColumn<int>("perRound");
    QTest::newRow("small records") << 100 << 3000;
    QTest::newRow("100 KB records") << 100 * 1024 << 300;
}

void TestFileStore::crashMidWrite()
{
    QFETCH(int, recordBytes);
    QFETCH(int, perRound);
    QTemporaryDir dir;
    const QString chatFile = dir.filePath(QStringLiteral("store/chat/session-crash.jsonl"));

    for (int round = 0; round < 3; ++round) {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(),
                    { QLatin1String(ChildArgument), dir.path(), QString::number(recordBytes) });
        QVERIFY(child.waitForStarted());

        QByteArray output;
        int reported = -1; // the last number the child printed in full
        int reportedThisRound = 0;
        const auto collect = [&] {
            output += child.readAllStandardOutput();
            const qsizetype end = output.lastIndexOf('\n');
            if (end < 0)
                return;
            const QList<QByteArray> lines = output.first(end).split('\n');
            reportedThisRound += int(lines.size());
            reported = lines.last().toInt();
            output.remove(0, end + 1);
        };
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         collect();
                         return reportedThisRound >= perRound
                             || child.state() == QProcess::NotRunning;
                     },
                     60000),
                 "the child did not append");
        QCOMPARE(child.state(), QProcess::Running);
        ::kill(pid_t(child.processId()), SIGKILL);
        QVERIFY(child.waitForFinished(10000));
        collect();
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        // The history is clean: consecutive records from 0, at least up to the last one the
        // child reported (its append had returned, so the record was in the file).
        FileStore store(dir.path());
        QVERIFY(!store.open());
        const auto history = answerOf<Objects>(
            [&](Store::Reply<Objects> r) { store.chatHistory(CrashSession, 1000000, r); });
        QVERIFY(history && history->ok());
        const QList<int> numbers = seqs(history->value(), "n");
        QVERIFY2(numbers.size() >= reported + 1,
                 qPrintable(
                     QStringLiteral("%1 records, reported %2").arg(numbers.size()).arg(reported)));
        QCOMPARE(numbers, range(0, int(numbers.size())));
        for (const QJsonObject &m : history->value())
            QCOMPARE(m.value(u"text").toString().size(), recordBytes);

        // The status is one of the statuses written, never a torn one.
        const auto status = answerOf<MaybeObject>(
            [&](Store::Reply<MaybeObject> r) { store.latestStatus(QStringLiteral("v"), r); });
        QVERIFY(status && status->ok() && status->value().has_value());
        const int statusN = status->value()->value(u"n").toInt();
        QCOMPARE(statusN % 50, 0);
        QVERIFY(statusN <= numbers.last());

        // On disk: every line is a record, except at most one torn line per crash.
        QFile file(chatFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        int invalid = 0;
        int valid = 0;
        while (!file.atEnd()) {
            QByteArray line = file.readLine();
            if (line.endsWith('\n'))
                line.chop(1);
            QJsonParseError error;
            QJsonDocument::fromJson(line, &error);
            (error.error == QJsonParseError::NoError ? valid : invalid) += 1;
        }
        QCOMPARE(valid, int(numbers.size()));
        QVERIFY2(invalid <= round + 1, qPrintable(QString::number(invalid)));
    }
}

int main(int argc, char **argv)
{
    if (argc >= 4 && qstrcmp(argv[1], ChildArgument) == 0) {
        QCoreApplication app(argc, argv);
        return runAppendChild(QString::fromLocal8Bit(argv[2]), QByteArray(argv[3]).toInt());
    }
    QCoreApplication app(argc, argv);
    TestFileStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_filestore.moc"
