#pragma once

#include "server/core/apperror.h"
#include "server/core/livetarget.h"
#include "server/core/videotypes.h"

#include <QHash>
#include <QObject>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <optional>

namespace mmv::analysis {

/// The videos the server knows: files and metadata under <data-dir>/videos/<id>/, kept
/// across restarts. Uploads arrive as temporary files and are probed in a worker thread
/// before they are admitted; ids are generated here, never derived from file names.
/// Lives in the network thread.
class VideoLibrary : public QObject
{
    Q_OBJECT

public:
    explicit VideoLibrary(QString dataDir, QObject *parent = nullptr);
    ~VideoLibrary() override;

    /// Creates the folders and loads the index; stale partial uploads are removed. Entries
    /// written by an earlier version (VideoInfo::StoredSchema) are probed again, once.
    Status open();

    /// A fresh path for an upload in progress (same file system as the library).
    QString newUploadPath() const;
    /// Probes `tempPath` off the calling thread; on success moves it (`moveFile`: an upload
    /// in uploadDir()) or copies it, also off this thread, into the library and answers the new
    /// video, else answers why (415 reasons of probeMedia) and deletes it if it was to be moved.
    /// `copied`, if given, hears how much of a copy is done (0..1, every 2 % or more), in this
    /// thread and before the answer. `cancel`, once set, stops the probe or the copy, or the
    /// admission if the copy is done: the answer is then mmv::cancelledError(), and nothing of
    /// the file is left in the library (the original of a copy stays where it is).
    void addFile(const QString &tempPath, const QString &originalName, bool moveFile,
                 std::function<void(Result<VideoInfo>)> done,
                 std::function<void(double)> copied = {}, CancelFlag cancel = {});

    QList<VideoInfo> videos() const;
    std::optional<VideoInfo> video(const QString &id) const;
    /// Takes the video's folder (file, keyframes, results document) out of the library at
    /// once; a worker deletes it.
    Status remove(const QString &id);
    /// <data-dir>/videos/<id>
    QString videoDir(const QString &id) const;
    QString uploadDir() const;
    /// <data-dir>/trash: what was deleted, until a worker has removed it.
    QString trashDir() const;

Q_SIGNALS:
    void videoAdded(const mmv::VideoInfo &video);
    void videoRemoved(const QString &id);

private:
    using Alive = LiveTarget<VideoLibrary>;
    using Answer = std::function<void(VideoLibrary *)>;
    /// Runs `answer` in the library's thread if it still exists; else removes `orphan` (a file
    /// meant for it), if any. From any thread.
    static void deliver(const std::shared_ptr<Alive> &alive, Answer answer,
                        const QString &orphan = QString());
    /// In m_copier's thread: copies `from` (probed) to `staging`, telling `copied` how far, then
    /// `admit` it, or `done` why not.
    static void copyIn(const std::shared_ptr<Alive> &alive, const QString &from,
                       const QString &staging, const Answer &admit,
                       const std::function<void(Result<VideoInfo>)> &done,
                       const std::function<void(double)> &copied, const CancelFlag &cancel);

    QString generateId() const;
    /// Renames `sourcePath` (probed, in uploadDir()) into a new video's folder.
    Result<VideoInfo> admit(VideoInfo info, const QString &sourcePath, const QString &originalName);
    /// Deletes what is in trashDir(), in a worker.
    void emptyTrash();
    /// Moves `path` (a file or folder of the data directory) into trashDir() at once and has
    /// a worker delete it: unlinking gigabytes takes the disk's time.
    bool discard(const QString &path);

    QString m_dataDir;
    QHash<QString, VideoInfo> m_videos;
    std::shared_ptr<Alive> m_alive;
    QThreadPool m_copier; ///< copies files added with moveFile false, one at a time
    QThreadPool m_trash; ///< empties trashDir()
};

} // namespace mmv::analysis
