#pragma once

#include "server/core/apperror.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <memory>

namespace mmv::http {

/// Writes a file from a worker thread, so that the thread that receives the data (the one
/// that serves every connection) never waits for the disk: a write to the page cache is quick
/// until the kernel has too much unwritten data, and then it sleeps until the disk catches up
/// (hundreds of milliseconds on a slow disk, every time).
///
/// append() queues a copy of the bytes and returns at once; the writer writes them in order.
/// Memory stays bounded through ready(): past HighWater queued bytes it answers false and
/// calls its `resume` function once the writer is below it again (the caller stops reading
/// meanwhile, and TCP makes the client wait). The first error (a full disk) is kept and
/// reported by the next append(), ready() lets it through, and close() reports it too.
///
/// Destroyed, it deletes the file (in the worker: deleting gigabytes takes the disk's time too;
/// writes not done yet are dropped) unless keep() was called. Used from one thread, except
/// where said.
class FileWriter
{
public:
    static constexpr qint64 HighWater = qint64(8) << 20;

    /// Creates (truncates) `path`; an error if it cannot be opened for writing.
    static Result<std::unique_ptr<FileWriter>> create(const QString &path);
    ~FileWriter();
    FileWriter(const FileWriter &) = delete;
    FileWriter &operator=(const FileWriter &) = delete;

    QString path() const { return m_path; }

    /// Queues `data`; the error of an earlier write, if one failed.
    Status append(QByteArrayView data);
    /// Whether more may be appended now (`drained`: whether everything appended is written).
    /// If not, `resume` is called once, from the writer's thread, when it is so; a later
    /// ready() replaces it. True after an error (append() and close() report it).
    bool ready(bool drained, std::function<void()> resume);
    /// Waits until everything is written (at once when ready(true, ...) said so), then closes
    /// the file; the first error, if any (again at a second call).
    Status close();
    /// The file stays when this is destroyed. Call it after close(): without, what is queued
    /// is still written, but a failure is not reported to anyone.
    void keep() { m_keep = true; }

private:
    struct Shared;
    explicit FileWriter(std::shared_ptr<Shared> shared, QString path);

    std::shared_ptr<Shared> m_shared;
    QString m_path;
    bool m_closed = false;
    bool m_keep = false;
};

} // namespace mmv::http
