#include "videolibrary.h"

#include "mediaprobe.h"

#include "server/core/logging.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QThreadPool>

#include <atomic>
#include <mutex>

namespace mmv::analysis {

namespace {

/// Writes the video's index file, replaced whole or not at all.
bool writeMeta(const QString &dir, const VideoInfo &info)
{
    QSaveFile meta(dir + QStringLiteral("/video.json"));
    return meta.open(QIODevice::WriteOnly)
        && meta.write(QJsonDocument(info.toStoredJson()).toJson()) >= 0 && meta.commit();
}

/// An entry of an earlier schema probed again for what the probe now says (sizes as shown);
/// its name, path, size and date stay, and so does the rest if the file no longer probes. The
/// entry is stored in the current schema either way, so that this happens once.
void reprobe(VideoInfo &info, const QString &dir)
{
    qCInfo(lcAnalysis) << "probing" << info.id << "again (added by an earlier version)";
    const Result<VideoInfo> probed = probeMedia(info.path);
    if (probed) {
        VideoInfo now = probed.value();
        now.id = info.id;
        now.fileName = info.fileName;
        now.path = info.path;
        now.size = info.size;
        now.createdAt = info.createdAt;
        info = now;
    } else {
        qCWarning(lcAnalysis) << "cannot probe" << info.id << "again:" << probed.error().message;
    }
    if (!writeMeta(dir, info))
        qCWarning(lcAnalysis) << "cannot update the index file of" << info.id;
}

/// 16 random hexadecimal digits, for file names.
QString randomName()
{
    return QStringLiteral("%1").arg(QRandomGenerator::system()->generate64(), 16, 16,
                                    QLatin1Char('0'));
}

QString sanitizedSuffix(const QString &name)
{
    QString suffix = QFileInfo(name).suffix().toLower();
    suffix.removeIf([](QChar c) { return !(c.isLetterOrNumber() && c.unicode() < 128); });
    return suffix.left(8);
}

} // namespace

/// Whether the library still exists, for its workers: they post to it under the mutex, and
/// the library's destructor clears `library` under it first (a post to a destroyed object
/// would touch freed memory; one that lands before the destructor ends is dropped with it).
/// A copy stops once `library` is null.
void VideoLibrary::deliver(const std::shared_ptr<Alive> &alive, Answer answer,
                           const QString &orphan)
{
    if (!alive->post(std::move(answer)) && !orphan.isEmpty())
        QFile::remove(orphan);
}

namespace {

/// Copies `from` to `to` block by block; false, with `to` removed, on an error (`error` says
/// which) or once `stop()` is true. `copied(bytes, total)` after each block.
bool copyFile(const QString &from, const QString &to, const std::function<bool()> &stop,
              const std::function<void(qint64, qint64)> &copied, QString *error)
{
    QFile in(from);
    QFile out(to);
    if (!in.open(QIODevice::ReadOnly)) {
        *error = in.errorString();
        return false;
    }
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = out.errorString();
        return false;
    }
    QByteArray block(4 << 20, Qt::Uninitialized);
    for (;;) {
        const qint64 read = in.read(block.data(), block.size());
        if (read < 0 || stop()) {
            *error = read < 0 ? in.errorString() : QStringLiteral("stopped");
            break;
        }
        if (read == 0) {
            out.close(); // the last writes may fail only here (a full disk)
            if (out.error() == QFileDevice::NoError)
                return true;
            *error = out.errorString();
            break;
        }
        if (out.write(block.constData(), read) != read) {
            *error = out.errorString();
            break;
        }
        copied(in.pos(), in.size());
    }
    out.close();
    QFile::remove(to);
    return false;
}

} // namespace

VideoLibrary::VideoLibrary(QString dataDir, QObject *parent)
    : QObject(parent)
    , m_dataDir(std::move(dataDir))
    , m_alive(std::make_shared<Alive>(this))
{
    m_trash.setMaxThreadCount(1);
    m_copier.setMaxThreadCount(1);
}

VideoLibrary::~VideoLibrary()
{
    m_alive->clear();
    // A copy under way stops (its part is removed, as are the uploads a worker still probes);
    // what is left in the trash is deleted at the next start, only a deletion under way is
    // waited for.
    m_copier.clear();
    m_copier.waitForDone();
    m_trash.clear();
    m_trash.waitForDone();
}

QString VideoLibrary::videoDir(const QString &id) const
{
    return QDir(m_dataDir).filePath(QStringLiteral("videos/") + id);
}

QString VideoLibrary::uploadDir() const
{
    return QDir(m_dataDir).filePath(QStringLiteral("uploads"));
}

QString VideoLibrary::trashDir() const
{
    return QDir(m_dataDir).filePath(QStringLiteral("trash"));
}

void VideoLibrary::emptyTrash()
{
    // One at a time (m_trash has one thread): two would trip over each other's deletions.
    m_trash.start([dir = trashDir()] {
        const auto entries = QDir(dir).entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot);
        for (const QFileInfo &entry : entries) {
            qCInfo(lcAnalysis) << "deleting" << entry.absoluteFilePath();
            const bool removed = entry.isDir() && !entry.isSymLink()
                ? QDir(entry.absoluteFilePath()).removeRecursively()
                : QFile::remove(entry.absoluteFilePath());
            if (!removed && QFileInfo::exists(entry.absoluteFilePath()))
                qCWarning(lcAnalysis) << "cannot delete" << entry.absoluteFilePath();
        }
    });
}

bool VideoLibrary::discard(const QString &path)
{
    const QFileInfo entry(path);
    if (!entry.exists() && !entry.isSymLink())
        return true; // gone already (a video folder deleted by hand)
    // Where the trash cannot take it (another file system mounted in between), in place.
    const QString trashed
        = QDir(trashDir()).filePath(entry.fileName() + QLatin1Char('-') + randomName());
    if (QFile::rename(path, trashed)) {
        emptyTrash();
        return true;
    }
    return entry.isDir() ? QDir(path).removeRecursively() : QFile::remove(path);
}

Status VideoLibrary::open()
{
    QDir data(m_dataDir);
    if (!data.mkpath(QStringLiteral("videos")) || !data.mkpath(QStringLiteral("uploads"))
        || !data.mkpath(QStringLiteral("trash")))
        return AppError{ ErrorCode::Internal,
                         QStringLiteral("cannot create folders in %1").arg(m_dataDir) };
    // Partial uploads of a previous run can never complete, and what it deleted may not be
    // gone yet.
    const auto stale = QDir(uploadDir()).entryInfoList(QDir::Files);
    for (const QFileInfo &file : stale) {
        if (!QFile::rename(file.absoluteFilePath(), QDir(trashDir()).filePath(file.fileName())))
            QFile::remove(file.absoluteFilePath());
    }
    emptyTrash();

    const auto folders = QDir(data.filePath(QStringLiteral("videos")))
                             .entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QFileInfo &folder : folders) {
        QFile meta(folder.absoluteFilePath() + QStringLiteral("/video.json"));
        if (!meta.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject stored = QJsonDocument::fromJson(meta.readAll()).object();
        VideoInfo info = VideoInfo::fromStoredJson(stored);
        if (info.id != folder.fileName() || !QFileInfo::exists(info.path)) {
            qCWarning(lcAnalysis) << "skipping the damaged library entry" << folder.fileName();
            continue;
        }
        if (stored.value(QStringLiteral("schema")).toInt() < VideoInfo::StoredSchema)
            reprobe(info, folder.absoluteFilePath());
        m_videos.insert(info.id, info);
    }
    qCInfo(lcAnalysis) << "library:" << m_videos.size() << "videos in" << m_dataDir;
    return std::nullopt;
}

QString VideoLibrary::generateId() const
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
    for (;;) {
        QString id = QStringLiteral("v_");
        for (int i = 0; i < 12; ++i)
            id += QLatin1Char(
                alphabet[QRandomGenerator::system()->bounded(int(sizeof(alphabet) - 1))]);
        if (!m_videos.contains(id) && !QFileInfo::exists(videoDir(id)))
            return id;
    }
}

QString VideoLibrary::newUploadPath() const
{
    return QDir(uploadDir()).filePath(QStringLiteral("upload-%1.part").arg(randomName()));
}

void VideoLibrary::addFile(const QString &tempPath, const QString &originalName, bool moveFile,
                           std::function<void(Result<VideoInfo>)> done,
                           std::function<void(double)> copied, CancelFlag cancel)
{
    // Probing, copying a file that stays where it is (gigabytes, from the dashboard) and
    // deleting a rejected upload all take the disk's time: a worker's, not this thread's,
    // which serves every connection. Here only the index changes, and the file is renamed
    // into place (the same file system: at once). Copies have a thread of their own, so that
    // uploads are not probed behind them, and stop when the library goes.
    const QString staging = moveFile ? tempPath : newUploadPath();
    if (!cancel)
        cancel = makeCancelFlag();
    QThreadPool::globalInstance()->start([alive = m_alive, tempPath, staging, originalName,
                                          moveFile, done = std::move(done),
                                          copied = std::move(copied), cancel] {
        Result<VideoInfo> probed = *cancel ? cancelledError() : probeMedia(tempPath);
        if (probed && *cancel)
            probed = cancelledError();
        if (!probed) {
            if (moveFile)
                QFile::remove(tempPath);
            return deliver(alive, [probed, done](VideoLibrary *) { done(probed.error()); });
        }
        // Cancelled once the file is in place (this thread checks the flag the operator's
        // request sets): it goes to the trash instead of the library.
        const auto admit = [probed, staging, originalName, done, cancel](VideoLibrary *library) {
            if (*cancel) {
                library->discard(staging);
                return done(cancelledError());
            }
            done(library->admit(probed.value(), staging, originalName));
        };
        if (moveFile)
            return deliver(alive, admit, staging);
        alive->with([&](VideoLibrary *library) {
            library->m_copier.start([alive, tempPath, staging, admit, done, copied, cancel] {
                copyIn(alive, tempPath, staging, admit, done, copied, cancel);
            });
        });
    });
}

void VideoLibrary::copyIn(const std::shared_ptr<Alive> &alive, const QString &from,
                          const QString &staging, const Answer &admit,
                          const std::function<void(Result<VideoInfo>)> &done,
                          const std::function<void(double)> &copied, const CancelFlag &cancel)
{
    const auto gone = [&alive] { return alive->gone(); };
    const auto stop = [&gone, &cancel] { return gone() || *cancel; };
    if (*cancel) // while it waited for the copy before it
        return deliver(alive, [done](VideoLibrary *) { done(cancelledError()); });
    qCInfo(lcAnalysis) << "copying" << from << "into the library";
    double reported = 0;
    const auto report = [&](qint64 bytes, qint64 total) {
        const double fraction = total > 0 ? double(bytes) / double(total) : 1.0;
        if (!copied || (fraction < reported + 0.02 && fraction < 1))
            return;
        reported = fraction;
        deliver(alive, [copied, fraction](VideoLibrary *) { copied(fraction); });
    };
    QString error;
    if (copyFile(from, staging, stop, report, &error))
        return deliver(alive, admit, staging);
    if (gone())
        return;
    if (*cancel) {
        qCInfo(lcAnalysis) << "stopped copying" << from << "(cancelled)";
        return deliver(alive, [done](VideoLibrary *) { done(cancelledError()); });
    }
    qCWarning(lcAnalysis) << "cannot copy" << from << "into the library:" << error;
    deliver(alive, [from, error, done](VideoLibrary *) {
        done(AppError{
            ErrorCode::Internal,
            QStringLiteral("cannot store the video: cannot copy %1: %2").arg(from, error) });
    });
}

Result<VideoInfo> VideoLibrary::admit(VideoInfo info, const QString &sourcePath,
                                      const QString &originalName)
{
    info.id = generateId();
    info.fileName
        = originalName.isEmpty() ? QStringLiteral("video") : QFileInfo(originalName).fileName();
    info.createdAt = QDateTime::currentDateTimeUtc();
    const QString dir = videoDir(info.id);
    QString suffix = sanitizedSuffix(originalName);
    if (suffix.isEmpty())
        suffix = QStringLiteral("bin");
    const QString target = dir + QStringLiteral("/source.") + suffix;
    const auto fail = [&](const QString &why) -> AppError {
        QDir(dir).removeRecursively();
        QFile::remove(sourcePath);
        qCWarning(lcAnalysis) << "cannot add" << info.fileName << ":" << why;
        return AppError{ ErrorCode::Internal, QStringLiteral("cannot store the video: ") + why };
    };
    if (!QDir().mkpath(dir))
        return fail(QStringLiteral("cannot create %1").arg(dir));
    if (!QFile::rename(sourcePath, target))
        return fail(QStringLiteral("cannot place the file in %1").arg(dir));
    info.path = target;
    if (!writeMeta(dir, info))
        return fail(QStringLiteral("cannot write its metadata"));
    m_videos.insert(info.id, info);
    qCInfo(lcAnalysis) << "added" << info.id << info.fileName << info.width << "x" << info.height;
    Q_EMIT videoAdded(info);
    return info;
}

QList<VideoInfo> VideoLibrary::videos() const
{
    QList<VideoInfo> list = m_videos.values();
    std::sort(list.begin(), list.end(),
              [](const VideoInfo &a, const VideoInfo &b) { return a.createdAt > b.createdAt; });
    return list;
}

std::optional<VideoInfo> VideoLibrary::video(const QString &id) const
{
    const auto it = m_videos.constFind(id);
    if (it == m_videos.cend())
        return std::nullopt;
    return *it;
}

Status VideoLibrary::remove(const QString &id)
{
    if (!m_videos.contains(id))
        return AppError{ ErrorCode::NotFound, QStringLiteral("no video '%1'").arg(id) };
    if (!discard(videoDir(id)))
        return AppError{ ErrorCode::Internal,
                         QStringLiteral("cannot delete the files of '%1'").arg(id) };
    m_videos.remove(id);
    Q_EMIT videoRemoved(id);
    return std::nullopt;
}

} // namespace mmv::analysis
