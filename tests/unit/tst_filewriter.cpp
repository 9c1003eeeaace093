// FileWriter: a file written by a worker thread, with the reader held back while the disk is
// behind (a FIFO nobody reads stands in for a slow disk), errors reported, and the file
// deleted unless kept.

#include "server/core/processinfo.h"
#include "server/http/filewriter.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <csignal>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using mmv::http::FileWriter;

namespace {

QByteArray payload(qsizetype size, int seed)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char((i * 7 + seed) % 251);
    return data;
}

/// A FIFO that stands in for a slow disk: nothing written to it goes anywhere until read()
/// takes it. Our end is opened first, so that the writer's open does not wait for a reader,
/// and closed at the end (a failed test then leaves the writer EPIPE, not blocked).
class SlowDisk
{
public:
    explicit SlowDisk(const QTemporaryDir &dir)
        : path(dir.filePath(QStringLiteral("fifo")))
    {
        if (::mkfifo(QFile::encodeName(path).constData(), 0600) == 0)
            m_reader = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK);
    }
    ~SlowDisk()
    {
        if (m_reader >= 0)
            ::close(m_reader);
    }
    SlowDisk(const SlowDisk &) = delete;
    SlowDisk &operator=(const SlowDisk &) = delete;

    bool isOpen() const { return m_reader >= 0; }
    /// Takes what has arrived into `received`, or yields; false once `deadline` has passed.
    bool read(QByteArray &received, const QDeadlineTimer &deadline)
    {
        char buffer[65536];
        const ssize_t n = ::read(m_reader, buffer, sizeof buffer);
        if (n > 0)
            received.append(buffer, n);
        else
            QThread::yieldCurrentThread();
        return !deadline.hasExpired();
    }

    const QString path;

private:
    int m_reader = -1;
};

} // namespace

class TestFileWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void writesInOrder_data();
    void writesInOrder();
    void holdsTheReaderBackWhileBehind();
    void tinyAppendsStayCompact();
    void reportsTheFirstError();
    void deletesTheFileUnlessKept();
    void cannotOpen();
};

void TestFileWriter::initTestCase()
{
    // A test that fails while a writer is blocked on its FIFO closes our end: the writer then
    // gets EPIPE (not the signal) and lets go, instead of holding up the exit.
    std::signal(SIGPIPE, SIG_IGN);
}

void TestFileWriter::writesInOrder_data()
{
    QTest::addColumn<int>("chunks");
    QTest::addColumn<int>("chunkSize");
    QTest::newRow("one byte") << 1 << 1;
    QTest::newRow("many small") << 5000 << 97;
    QTest::newRow("a few large") << 12 << 3 * 1024 * 1024; // past HighWater
}

void TestFileWriter::writesInOrder()
{
    QFETCH(int, chunks);
    QFETCH(int, chunkSize);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("file"));
    auto writer = FileWriter::create(path);
    QVERIFY(writer.ok());
    QByteArray expected;
    for (int i = 0; i < chunks; ++i) {
        const QByteArray chunk = payload(chunkSize, i);
        QVERIFY(!writer.value()->append(chunk));
        expected += chunk;
    }
    QVERIFY(!writer.value()->close());
    writer.value()->keep();
    writer.value().reset();
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.size(), expected.size());
    QVERIFY(file.readAll() == expected);
}

void TestFileWriter::holdsTheReaderBackWhileBehind()
{
    QTemporaryDir dir;
    SlowDisk disk(dir);
    QVERIFY(disk.isOpen());
    auto writer = FileWriter::create(disk.path);
    QVERIFY2(writer.ok(), writer.ok() ? "" : qPrintable(writer.error().message));

    // The pipe takes 64 KiB; the rest waits in the writer, and past HighWater it says so.
    const QByteArray chunk = payload(1024 * 1024, 3);
    QByteArray sent;
    std::atomic<int> resumed = 0;
    const auto resume = [&resumed] { ++resumed; };
    while (writer.value()->ready(false, resume)) {
        QVERIFY(!writer.value()->append(chunk));
        sent += chunk;
        QVERIFY2(sent.size() <= 2 * FileWriter::HighWater, "never behind");
    }
    QVERIFY(sent.size() >= FileWriter::HighWater);
    QCOMPARE(resumed.load(), 0);

    // Reading lets it go on: once below the mark it calls resume, once drained the other.
    QByteArray received;
    const QDeadlineTimer deadline(60000);
    while (resumed.load() == 0)
        QVERIFY2(disk.read(received, deadline), "never resumed");
    QVERIFY(received.size() < sent.size()); // resumed before it was drained
    std::atomic<bool> drained = false;
    if (!writer.value()->ready(true, [&drained] { drained = true; }))
        QCOMPARE(drained.load(), false);
    else
        drained = true;
    while (received.size() < sent.size())
        QVERIFY2(disk.read(received, deadline), "never wrote everything");
    QTRY_VERIFY(drained.load());
    QVERIFY(writer.value()->ready(true, {}));
    QVERIFY(!writer.value()->close());
    QCOMPARE(resumed.load(), 1); // once per ready() that said no
    QVERIFY(received == sent);
}

void TestFileWriter::tinyAppendsStayCompact()
{
    // A body that arrives a byte at a time (chunked encoding allows it) to a disk that is
    // behind: what waits in memory is about HighWater, not a queue entry per byte.
    QTemporaryDir dir;
    SlowDisk disk(dir);
    QVERIFY(disk.isOpen());
    auto writer = FileWriter::create(disk.path);
    QVERIFY(writer.ok());
    const qint64 before = mmv::residentMemoryKiB();
    QByteArray sent;
    sent.reserve(FileWriter::HighWater + 1024);
    while (writer.value()->ready(false, [] {})) {
        const char byte = char(sent.size() % 241);
        QVERIFY(!writer.value()->append(QByteArrayView(&byte, 1)));
        sent.append(byte);
    }
    const qint64 grown = mmv::residentMemoryKiB() - before;
    // A queue entry per byte took 470 MiB here; sanitizer builds add some shadow memory.
    QVERIFY2(grown < 12 * FileWriter::HighWater / 1024,
             qPrintable(QStringLiteral("%1 KiB for %2 bytes queued").arg(grown).arg(sent.size())));
    QByteArray received;
    const QDeadlineTimer deadline(60000);
    while (received.size() < sent.size())
        QVERIFY2(disk.read(received, deadline), "never wrote everything");
    QVERIFY(!writer.value()->close());
    QVERIFY(received == sent);
}

void TestFileWriter::reportsTheFirstError()
{
    // /dev/full: every write fails with ENOSPC, as on a full disk.
    auto writer = FileWriter::create(QStringLiteral("/dev/full"));
    QVERIFY(writer.ok());
    writer.value()->keep(); // not ours to delete
    QVERIFY(!writer.value()->append("first")); // queued: the failure comes later
    std::atomic<bool> resumed = false;
    if (!writer.value()->ready(true, [&resumed] { resumed = true; }))
        QTRY_VERIFY(resumed.load());
    QVERIFY(writer.value()->ready(true, {})); // lets the caller on to hear the error
    const mmv::Status error = writer.value()->append("second");
    QVERIFY(error);
    QVERIFY2(error->message.startsWith(QLatin1String("cannot write the upload: ")),
             qPrintable(error->message));
    QVERIFY2(error->message.contains(QLatin1String("space"), Qt::CaseInsensitive),
             qPrintable(error->message));
    const mmv::Status closed = writer.value()->close();
    QVERIFY(closed);
    QCOMPARE(closed->message, error->message);
    const mmv::Status again = writer.value()->close();
    QVERIFY2(again, "a second close() forgot the error");
    QCOMPARE(again->message, error->message);
}

void TestFileWriter::deletesTheFileUnlessKept()
{
    QTemporaryDir dir;
    const QString dropped = dir.filePath(QStringLiteral("dropped"));
    const QString kept = dir.filePath(QStringLiteral("kept"));
    {
        auto writer = FileWriter::create(dropped);
        QVERIFY(writer.ok());
        for (int i = 0; i < 20; ++i)
            QVERIFY(!writer.value()->append(payload(1024 * 1024, i)));
    } // abandoned while writing
    QTRY_VERIFY(!QFile::exists(dropped));
    const QByteArray data = payload(5 * 1024 * 1024, 9);
    {
        auto writer = FileWriter::create(kept);
        QVERIFY(writer.ok());
        QVERIFY(!writer.value()->append(data));
        writer.value()->keep();
    } // kept without close(): still written out
    QTRY_COMPARE(QFileInfo(kept).size(), data.size());
    QFile file(kept);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll() == data);
}

void TestFileWriter::cannotOpen()
{
    QTemporaryDir dir;
    const auto writer = FileWriter::create(dir.filePath(QStringLiteral("no/such/folder/file")));
    QVERIFY(!writer.ok());
    QVERIFY2(writer.error().message.startsWith(QLatin1String("cannot write the upload: ")),
             qPrintable(writer.error().message));
}

QTEST_GUILESS_MAIN(TestFileWriter)
#include "tst_filewriter.moc"
