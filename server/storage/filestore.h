#pragma once

#include "server/storage/lrucache.h"
#include "server/storage/store.h"
#include "server/storage/storeutil.h"

#include <QHash>
#include <QMap>
#include <QThreadPool>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class QFile;

namespace mmv::storage {

/// The embedded store: plain files under `<dataDir>/store/`, no server needed.
///
/// Layout: `chat/session-<id>.jsonl` (one per chat session), `results/video-<id>.jsonl` and
/// `status/video-<id>.json` (per video), `journal.jsonl` plus `journal.1.jsonl` (the rotated
/// older half). Ids always follow a prefix, so "." and ".." are ordinary file names.
///
/// Chat, results and journal are append-only JSON lines, one unbuffered write per record. A
/// crash mid-write leaves at most a torn last line: reads skip it, the next append starts a
/// fresh line after it, and every earlier record stays intact. The latest status is replaced
/// atomically (QSaveFile: a temporary file, synced, then renamed); updates of a video within
/// Options::statusFlushMs are coalesced into one such write, so a flood of progress updates
/// costs a bounded number of fsyncs. Those writes are made, in order, by a thread of the
/// store's own: an fsync waits for the disk (milliseconds on an SSD, tens on a slow disk, more
/// while an upload fills the page cache), and the calling thread serves every connection. Only
/// a change of state (a few per job) is waited for, so that a crash never loses one. The
/// statuses set in this run are answered from memory. History reads seek from the end of the
/// file, whatever its size. At most Options::maxOpenFiles append handles stay open, the least
/// recently used is closed first. The connection registry lives in memory only (one process).
///
/// Everything else happens in the calling thread (pending statuses are handed on by a timer of
/// its event loop, and written by close()): replies run before the call returns. Not
/// thread-safe; use it from the network thread.
class FileStore final : public Store
{
    Q_OBJECT

public:
    struct Options
    {
        /// The journal keeps at least this many entries (up to twice as many on disk), and
        /// journal() never answers more than this.
        int journalCap = 10000;
        /// Append handles kept open at once.
        int maxOpenFiles = 64;
        /// The latest status of a video reaches the disk at most this long after it was set
        /// (a crash loses at most that much of a progress; a change of state is on the disk
        /// before setLatestStatus() returns). 0: every status written in the calling thread
        /// before it returns.
        int statusFlushMs = 200;
    };

    explicit FileStore(const QString &dataDir, QObject *parent = nullptr);
    FileStore(const QString &dataDir, const Options &options, QObject *parent = nullptr);
    ~FileStore() override;

    /// `<dataDir>/store`, where the files live.
    QString directory() const { return m_root; }
    /// Append handles open right now (at most Options::maxOpenFiles).
    int openFileCount() const { return int(m_files.size()); }

    /// Records longer than this are refused (and counted as dropped).
    static constexpr qsizetype MaxRecordBytes = 16 * 1024 * 1024;

    QString kind() const override;
    QString health() const override;
    Status open() override;
    void close() override;

    void appendChatMessage(const QString &sessionId, const QJsonObject &message) override;
    void chatHistory(const QString &sessionId, int limit, Reply<QList<QJsonObject>> reply) override;

    void setLatestStatus(const QString &videoId, const QJsonObject &status) override;
    void latestStatus(const QString &videoId, Reply<std::optional<QJsonObject>> reply) override;

    void appendResult(const QString &videoId, const QJsonObject &result) override;
    void results(const QString &videoId, Reply<QList<QJsonObject>> reply) override;
    void clearVideo(const QString &videoId) override;

    void registerConnection(const QString &socketId, const QJsonObject &info) override;
    void unregisterConnection(const QString &socketId) override;
    void connections(Reply<QList<QJsonObject>> reply) override;

    void appendJournal(const QJsonObject &entry) override;
    void journal(int limit, Reply<QList<QJsonObject>> reply) override;

    qint64 droppedWrites() const override { return m_dropped; }
    int pendingWrites() const override { return 0; }

private:
    QString chatPath(const QString &sessionId) const;
    QString resultsPath(const QString &videoId) const;
    QString statusPath(const QString &videoId) const;
    QString journalPath() const;
    QString olderJournalPath() const;

    bool appendRecord(const QString &path, const QJsonObject &record);
    QFile *appendHandle(const QString &path);
    void rotateJournal();
    void writeStatus(const QString &videoId, const QJsonObject &status);
    /// Runs `work` (a status file's write or removal; a message on failure) in m_statusWriter,
    /// or here when statuses are written at once.
    void inStatusWriter(std::function<std::optional<QString>()> work);
    void flushStatuses();
    void dropWrite(const QString &reason);

    QString m_root;
    Options m_options;
    bool m_open = false;
    detail::LruCache<QString, std::unique_ptr<QFile>> m_files;
    QMap<QString, QJsonObject> m_connections;
    QHash<QString, QJsonObject> m_pendingStatus; // set, not yet handed to the writer
    /// Every status set (or cleared: nullopt) in this run, until close().
    QHash<QString, std::optional<QJsonObject>> m_latestStatus;
    QHash<QString, QString> m_lastStatusState; ///< the state last written per video
    QTimer m_statusTimer;
    QThreadPool m_statusWriter; ///< one thread: status writes in order
    qint64 m_journalCount = 0;
    qint64 m_dropped = 0;
    detail::RateLimiter m_warnings{ 5000 };
};

} // namespace mmv::storage
