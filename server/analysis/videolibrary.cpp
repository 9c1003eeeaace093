#include "videolibrary.h"

#include "mediaprobe.h"

#include "server/core/logging.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QPointer>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QThreadPool>

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
    quint32 words[2];
    QRandomGenerator::system()->fillRange(words);
    return QStringLiteral("%1%2")
        .arg(words[0], 8, 16, QLatin1Char('0'))
        .arg(words[1], 8, 16, QLatin1Char('0'));
}

QString sanitizedSuffix(const QString &name)
{
    QString suffix = QFileInfo(name).suffix().toLower();
    suffix.removeIf([](QChar c) { return !(c.isLetterOrNumber() && c.unicode() < 128); });
    return suffix.left(8);
}

} // namespace

VideoLibrary::VideoLibrary(QString dataDir, QObject *parent)
    : QObject(parent)
    , m_dataDir(std::move(dataDir))
{
    m_trash.setMaxThreadCount(1);
}

VideoLibrary::~VideoLibrary()
{
    // What is left in the trash is deleted at the next start; only a deletion under way is
    // waited for.
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
            const bool removed = entry.isDir() && !entry.isSymLink()
                ? QDir(entry.absoluteFilePath()).removeRecursively()
                : QFile::remove(entry.absoluteFilePath());
            if (!removed && entry.exists())
                qCWarning(lcAnalysis) << "cannot delete" << entry.absoluteFilePath();
        }
    });
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
                           std::function<void(Result<VideoInfo>)> done)
{
    // Probing, copying a file that stays where it is (gigabytes, from the dashboard) and
    // deleting a rejected upload all take the disk's time: a worker's, not this thread's,
    // which serves every connection. Here only the index changes, and the file is renamed
    // into place (the same file system: at once).
    QPointer<VideoLibrary> self(this);
    const QString staging = moveFile ? tempPath : newUploadPath();
    QThreadPool::globalInstance()->start(
        [self, tempPath, staging, originalName, moveFile, done = std::move(done)] {
            Result<VideoInfo> probed = probeMedia(tempPath);
            if (probed && !moveFile)
                qCInfo(lcAnalysis) << "copying" << tempPath << "into the library";
            if (probed && !moveFile && !QFile::copy(tempPath, staging)) {
                QFile::remove(staging);
                qCWarning(lcAnalysis) << "cannot copy" << tempPath << "into the library";
                probed = AppError{
                    ErrorCode::Internal,
                    QStringLiteral("cannot store the video: cannot copy %1").arg(tempPath)
                };
            } else if (!probed && moveFile) {
                QFile::remove(tempPath);
            }
            // Back to the library's thread to change the index.
            if (!self) {
                if (probed)
                    QFile::remove(staging);
                return;
            }
            QMetaObject::invokeMethod(
                self,
                [self, probed, staging, originalName, done] {
                    if (!probed)
                        return done(probed.error());
                    done(self->admit(probed.value(), staging, originalName));
                },
                Qt::QueuedConnection);
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
    // Moved out of the library at once, deleted by a worker: unlinking a file of gigabytes
    // takes the file system a while.
    // Where the trash cannot take it (another file system mounted in between), in place.
    const QString trashed = QDir(trashDir()).filePath(id + QLatin1Char('-') + randomName());
    if (QFile::rename(videoDir(id), trashed))
        emptyTrash();
    else if (!QDir(videoDir(id)).removeRecursively())
        return AppError{ ErrorCode::Internal,
                         QStringLiteral("cannot delete the files of '%1'").arg(id) };
    m_videos.remove(id);
    Q_EMIT videoRemoved(id);
    return std::nullopt;
}

} // namespace mmv::analysis
