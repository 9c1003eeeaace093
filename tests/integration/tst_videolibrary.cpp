// VideoLibrary: its index across versions (an entry written before sizes were reported as shown,
// schema 1, where a phone's portrait video had its coded, sideways sizes, is probed again when
// the library opens and rewritten; a current entry is taken as it is), and its file work
// (copying, deleting) done off the thread that serves the connections.

#include "server/analysis/videolibrary.h"

#include "ffmpegclips.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

using namespace mmv;
using namespace mmv::analysis;
using namespace mmv::testing;

namespace {

/// Puts `clip` in the library folder `dataDir` as video `id` with this stored metadata.
bool placeEntry(const QString &dataDir, const QString &id, const QString &clip, QJsonObject meta)
{
    const QString dir = dataDir + QStringLiteral("/videos/") + id;
    if (!QDir().mkpath(dir) || !QFile::copy(clip, dir + QStringLiteral("/source.mp4")))
        return false;
    meta.insert(QStringLiteral("video_id"), id);
    meta.insert(QStringLiteral("path"), QString(dir + QStringLiteral("/source.mp4")));
    QFile file(dir + QStringLiteral("/video.json"));
    return file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(meta).toJson()) > 0;
}

QJsonObject storedMeta(const QString &dataDir, const QString &id)
{
    QFile file(dataDir + QStringLiteral("/videos/") + id + QStringLiteral("/video.json"));
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object()
                                          : QJsonObject();
}

/// A video of 300 MB in `dir`: Megamind.avi and bytes after it, which the demuxer ignores.
QString bigVideo(const QTemporaryDir &dir)
{
    const QString big = dir.filePath(QStringLiteral("big.avi"));
    return writeBigVideo(big) ? big : QString();
}

/// Notes the thread that logs a line starting with `prefix` while it exists, and runs `seen`
/// there: the library says "copying ..." and "deleting ..." before it does.
struct LogWatcher
{
    explicit LogWatcher(const char *prefix, std::function<void()> seen = {})
    {
        QLoggingCategory::setFilterRules(QStringLiteral("mmv.analysis.info=true"));
        watched = QString::fromLatin1(prefix);
        thread = nullptr;
        onSeen = std::move(seen);
        previous = qInstallMessageHandler(
            [](QtMsgType type, const QMessageLogContext &context, const QString &message) {
                if (message.startsWith(watched)) {
                    thread = QThread::currentThread();
                    if (onSeen)
                        onSeen();
                }
                previous(type, context, message);
            });
    }
    ~LogWatcher()
    {
        qInstallMessageHandler(previous);
        onSeen = nullptr;
    }

    static inline QString watched;
    static inline std::atomic<QThread *> thread = nullptr;
    static inline std::function<void()> onSeen;
    static inline QtMessageHandler previous = nullptr;
};

/// When addCanBeCancelled cancels.
enum class Moment { BeforeProbe, CopyStarts, Copied };

} // namespace

Q_DECLARE_METATYPE(Moment)

class TestVideoLibrary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void earlierEntriesAreProbedAgain();
    void copiesOffItsThread();
    void copyStopsWithTheLibrary();
    void addCanBeCancelled_data();
    void addCanBeCancelled();
    void deletesOffItsThread();
    void deletesAVideoWhoseFilesAreGone();
    void rejectedUploadIsDeleted();
};

void TestVideoLibrary::earlierEntriesAreProbedAgain()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // 240x320 pictures with a matrix that shows them as 320x240.
    const QString pictures = dir.filePath(QStringLiteral("pictures.mp4"));
    const QString turned = dir.filePath(QStringLiteral("turned.mp4"));
    QString error;
    QVERIFY2(runFfmpeg({ "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=1", "-vf", "transpose=1",
                         "-c:v", "libx264", "-pix_fmt", "yuv420p", pictures },
                       &error),
             qPrintable(error));
    QVERIFY2(
        runFfmpeg({ "-i", pictures, "-c", "copy", "-metadata:s:v:0", "rotate=90", turned }, &error),
        qPrintable(error));
    const QString data = dir.filePath(QStringLiteral("data"));
    const QJsonObject old{ { "filename", "portrait.mp4" },
                           { "size", 1234 },
                           { "width", 240 },
                           { "height", 320 },
                           { "duration_s", 1.0 },
                           { "fps", 25 },
                           { "codec", "h264" },
                           { "created_at", "2026-11-01T10:00:00.000Z" } };
    QVERIFY(placeEntry(data, QStringLiteral("v_schemaone"), turned, old));
    QJsonObject current = old;
    current.insert(QStringLiteral("schema"), VideoInfo::StoredSchema);
    current.insert(QStringLiteral("width"), 111); // whatever it says is taken
    QVERIFY(placeEntry(data, QStringLiteral("v_schematwo"), turned, current));

    // A file that no longer probes keeps what was stored, and is not probed at every start.
    const QString text = dir.filePath(QStringLiteral("text.mp4"));
    QFile textFile(text);
    QVERIFY(textFile.open(QIODevice::WriteOnly) && textFile.write("not a video\n") > 0);
    textFile.close();
    QVERIFY(placeEntry(data, QStringLiteral("v_broken"), text, old));

    VideoLibrary library(data);
    QVERIFY(!library.open());
    const std::optional<VideoInfo> reprobed = library.video(QStringLiteral("v_schemaone"));
    QVERIFY(reprobed);
    QCOMPARE(reprobed->width, 320);
    QCOMPARE(reprobed->height, 240);
    QCOMPARE(reprobed->fileName, QStringLiteral("portrait.mp4")); // the rest as it was
    QCOMPARE(reprobed->size, 1234);
    const QJsonObject rewritten = storedMeta(data, QStringLiteral("v_schemaone"));
    QCOMPARE(rewritten.value("schema").toInt(), VideoInfo::StoredSchema);
    QCOMPARE(rewritten.value("width").toInt(), 320);
    QCOMPARE(rewritten.value("created_at").toString(), QStringLiteral("2026-11-01T10:00:00.000Z"));
    const std::optional<VideoInfo> kept = library.video(QStringLiteral("v_schematwo"));
    QVERIFY(kept);
    QCOMPARE(kept->width, 111);
    const std::optional<VideoInfo> broken = library.video(QStringLiteral("v_broken"));
    QVERIFY(broken);
    QCOMPARE(broken->width, 240);
    QCOMPARE(storedMeta(data, QStringLiteral("v_broken")).value("schema").toInt(),
             VideoInfo::StoredSchema);
}

void TestVideoLibrary::copiesOffItsThread()
{
    // A local file added from the dashboard stays where it is: the library copies it, in a
    // worker (the library's thread serves every connection). The thread that copies is the one
    // that says so in the log.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString big = bigVideo(dir);
    QVERIFY(!big.isEmpty());
    const qint64 size = QFileInfo(big).size();
    VideoLibrary library(dir.filePath(QStringLiteral("data")));
    QVERIFY(!library.open());

    LogWatcher watcher("copying ");
    std::optional<Result<VideoInfo>> added;
    QList<double> copied;
    library.addFile(
        big, QStringLiteral("big.avi"), false,
        [&added](Result<VideoInfo> result) { added = std::move(result); },
        [&copied, &added](double fraction) {
            QVERIFY2(!added, "progress after the answer");
            copied.append(fraction);
        });
    QTRY_VERIFY_WITH_TIMEOUT(added.has_value(), 120000);
    // How far the copy is, in steps of 2 % or more, up to the whole file, before the answer.
    QVERIFY2(copied.size() >= 10 && copied.size() <= 50,
             qPrintable(QString::number(copied.size())));
    for (qsizetype i = 1; i + 1 < copied.size(); ++i)
        QVERIFY(copied.at(i) >= copied.at(i - 1) + 0.02);
    QVERIFY(copied.size() < 2 || copied.last() > copied.at(copied.size() - 2));
    QVERIFY(copied.first() > 0);
    QCOMPARE(copied.last(), 1.0);
    QVERIFY2(added->ok(), added->ok() ? "" : qPrintable(added->error().message));
    QVERIFY2(LogWatcher::thread.load(), "the copy was not announced");
    QVERIFY2(LogWatcher::thread.load() != QThread::currentThread(),
             "the library's own thread copied the file");
    const VideoInfo video = added->value();
    QCOMPARE(QFileInfo(video.path).size(), size);
    QVERIFY(video.path.startsWith(library.videoDir(video.id)));
    QVERIFY2(QFileInfo::exists(big), "the original was moved");
    QVERIFY(QDir(library.uploadDir()).isEmpty());
}

void TestVideoLibrary::copyStopsWithTheLibrary()
{
    // The server stops while a large file is being copied: the copy stops with the library,
    // nobody is answered, and nothing of it is left once the library opens again.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString big = bigVideo(dir);
    QVERIFY(!big.isEmpty());
    const QString data = dir.filePath(QStringLiteral("data"));
    bool answered = false;
    {
        VideoLibrary library(data);
        QVERIFY(!library.open());
        LogWatcher watcher("copying ");
        library.addFile(big, QStringLiteral("big.avi"), false,
                        [&answered](const Result<VideoInfo> &) { answered = true; });
        QTRY_VERIFY_WITH_TIMEOUT(LogWatcher::thread.load(), 30000);
    }
    QVERIFY(!answered);
    QVERIFY(QFileInfo::exists(big));
    VideoLibrary again(data);
    QVERIFY(!again.open());
    QVERIFY(again.videos().isEmpty());
    QVERIFY(QDir(again.uploadDir()).isEmpty());
    QTRY_VERIFY(QDir(again.trashDir()).isEmpty());
}

void TestVideoLibrary::addCanBeCancelled_data()
{
    // When the operator stops adding a large local file.
    QTest::addColumn<Moment>("moment");
    QTest::newRow("before the probe") << Moment::BeforeProbe;
    QTest::newRow("as the copy starts") << Moment::CopyStarts;
    QTest::newRow("copied, not admitted yet") << Moment::Copied;
}

void TestVideoLibrary::addCanBeCancelled()
{
    // Whenever it comes before the video is in the library, a cancel is answered "cancelled"
    // and leaves nothing of the file in the data directory; the original stays where it is.
    QFETCH(Moment, moment);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString big = bigVideo(dir);
    QVERIFY(!big.isEmpty());
    VideoLibrary library(dir.filePath(QStringLiteral("data")));
    QVERIFY(!library.open());
    QSignalSpy added(&library, &VideoLibrary::videoAdded);

    const auto cancel = std::make_shared<std::atomic<bool>>(moment == Moment::BeforeProbe);
    // In the copying thread, before its first block.
    LogWatcher watcher("copying ", [&cancel, moment] {
        if (moment == Moment::CopyStarts)
            *cancel = true;
    });
    std::optional<Result<VideoInfo>> answer;
    QList<double> copied;
    library.addFile(
        big, QStringLiteral("big.avi"), false,
        [&answer](Result<VideoInfo> result) { answer = std::move(result); },
        [&](double fraction) {
            copied.append(fraction);
            // The whole file is copied; its admission comes after this.
            if (moment == Moment::Copied && fraction == 1.0)
                *cancel = true;
        },
        cancel);
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 120000);
    QVERIFY2(!answer->ok(), "added all the same");
    QCOMPARE(answer->error().message, cancelledError().message);
    QCOMPARE(added.count(), 0);
    QVERIFY(library.videos().isEmpty());
    QCOMPARE(LogWatcher::thread.load() != nullptr, moment != Moment::BeforeProbe);
    if (moment == Moment::Copied)
        QCOMPARE(copied.last(), 1.0);
    else
        QVERIFY2(copied.isEmpty(), "the copy went on after the cancel");
    QVERIFY(QFileInfo::exists(big));
    QVERIFY(QDir(library.uploadDir()).isEmpty());
    QVERIFY(QDir(library.videoDir(QString())).isEmpty());
    QTRY_VERIFY(QDir(library.trashDir()).isEmpty());
}

void TestVideoLibrary::deletesOffItsThread()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString data = dir.filePath(QStringLiteral("data"));
    VideoLibrary library(data);
    QVERIFY(!library.open());
    std::optional<Result<VideoInfo>> added;
    library.addFile(QStringLiteral("/usr/share/doc/opencv-doc/examples/data/Megamind.avi"),
                    QStringLiteral("Megamind.avi"), false,
                    [&added](Result<VideoInfo> result) { added = std::move(result); });
    QTRY_VERIFY_WITH_TIMEOUT(added.has_value(), 30000);
    QVERIFY(added->ok());
    const QString id = added->value().id;
    QVERIFY(QDir(library.videoDir(id)).exists());
    {
        LogWatcher watcher("deleting ");
        QVERIFY(!library.remove(id));
        // Out of the library at once, and gone from the disk soon after, deleted by a worker.
        QVERIFY(!library.video(id));
        QVERIFY(!QDir(library.videoDir(id)).exists());
        QTRY_VERIFY(QDir(library.trashDir()).isEmpty());
        QVERIFY2(LogWatcher::thread.load(), "the deletion was not announced");
        QVERIFY2(LogWatcher::thread.load() != QThread::currentThread(),
                 "the library's own thread deleted the files");
    }
    QVERIFY(library.remove(id).has_value()); // not found now

    // What a previous run left in the trash or half uploaded goes at the next start.
    QVERIFY(QDir().mkpath(library.trashDir() + QStringLiteral("/v_left-1/keyframes")));
    QFile left(library.trashDir() + QStringLiteral("/v_left-1/keyframes/0.jpg"));
    QVERIFY(left.open(QIODevice::WriteOnly) && left.write("jpeg") == 4);
    left.close();
    QFile part(library.newUploadPath());
    QVERIFY(part.open(QIODevice::WriteOnly) && part.write("half") == 4);
    part.close();
    VideoLibrary again(data);
    QVERIFY(!again.open());
    QVERIFY(QDir(again.uploadDir()).isEmpty());
    QTRY_VERIFY(QDir(again.trashDir()).isEmpty());
}

void TestVideoLibrary::deletesAVideoWhoseFilesAreGone()
{
    // Someone deleted a video's folder by hand: deleting the video still takes it out of the
    // library.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString data = dir.filePath(QStringLiteral("data"));
    QVERIFY(placeEntry(data, QStringLiteral("v_gone"),
                       QStringLiteral("/usr/share/doc/opencv-doc/examples/data/Megamind.avi"),
                       QJsonObject{ { "filename", "Megamind.avi" },
                                    { "width", 720 },
                                    { "height", 480 },
                                    { "schema", VideoInfo::StoredSchema } }));
    VideoLibrary library(data);
    QVERIFY(!library.open());
    QVERIFY(library.video(QStringLiteral("v_gone")));
    QVERIFY(QDir(library.videoDir(QStringLiteral("v_gone"))).removeRecursively());
    QSignalSpy removed(&library, &VideoLibrary::videoRemoved);
    const Status status = library.remove(QStringLiteral("v_gone"));
    QVERIFY2(!status, status ? qPrintable(status->message) : "");
    QCOMPARE(removed.size(), 1);
    QVERIFY(library.videos().isEmpty());
}

void TestVideoLibrary::rejectedUploadIsDeleted()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    VideoLibrary library(dir.filePath(QStringLiteral("data")));
    QVERIFY(!library.open());
    const QString upload = library.newUploadPath();
    QFile file(upload);
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write("These are my notes.\n") > 0);
    file.close();
    std::optional<Result<VideoInfo>> added;
    library.addFile(upload, QStringLiteral("notes.mp4"), true,
                    [&added](Result<VideoInfo> result) { added = std::move(result); });
    QTRY_VERIFY_WITH_TIMEOUT(added.has_value(), 30000);
    QVERIFY(!added->ok());
    QCOMPARE(added->error().code, ErrorCode::UnsupportedMediaType);
    QVERIFY(!QFileInfo::exists(upload));
    QVERIFY(library.videos().isEmpty());
}

QTEST_GUILESS_MAIN(TestVideoLibrary)
#include "tst_videolibrary.moc"
