#include "filewriter.h"

#include <QFile>
#include <QThreadPool>

#include <condition_variable>
#include <deque>
#include <mutex>

namespace mmv::http {

namespace {

Q_GLOBAL_STATIC(QThreadPool, writerPool)

/// The writers' threads, apart from the global pool's (it probes uploads): a writer that has
/// data is never queued behind another one, so each upload goes at its own disk's pace.
QThreadPool *writers()
{
    static const bool sized = [] {
        writerPool()->setMaxThreadCount(32);
        return true;
    }();
    Q_UNUSED(sized);
    return writerPool();
}

/// A writer that is behind is asked for more again only once it is this far below HighWater:
/// the reader then goes on with a run of chunks, not with one chunk per write.
constexpr qint64 LowWater = FileWriter::HighWater / 2;

AppError writeError(const QString &why)
{
    return AppError{ ErrorCode::Internal, QStringLiteral("cannot write the upload: %1").arg(why) };
}

} // namespace

struct FileWriter::Shared
{
    /// The worker: writes what is queued, in order, until the queue is empty; deletes the file
    /// instead once it is abandoned.
    void drain();
    /// Calls `resume` (outside the lock) if what it waits for has come.
    void wakeIfReady(std::unique_lock<std::mutex> &lock);

    std::mutex mutex;
    std::condition_variable idle; ///< the worker stopped
    QFile file; ///< the worker's while `running`
    std::deque<QByteArray> queue;
    qint64 queued = 0; ///< bytes appended and not written yet
    bool running = false; ///< a worker is on it
    bool abandoned = false; ///< the owner is gone: delete the file
    std::optional<AppError> error;
    std::function<void()> resume;
    bool resumeWhenDrained = false;
};

void FileWriter::Shared::drain()
{
    std::unique_lock lock(mutex);
    while (!queue.empty() && !abandoned) {
        const QByteArray data = std::move(queue.front());
        queue.pop_front();
        const bool failed = error.has_value();
        lock.unlock();
        QString why;
        if (!failed && file.write(data) != data.size())
            why = file.errorString();
        lock.lock();
        queued -= data.size();
        if (!why.isEmpty() && !error) {
            error = writeError(why);
            queued = 0; // what follows is dropped
            queue.clear();
        }
        wakeIfReady(lock);
    }
    if (abandoned) {
        queue.clear();
        queued = 0;
        const QString path = file.fileName();
        file.close();
        QFile::remove(path);
    }
    running = false;
    idle.notify_all();
}

void FileWriter::Shared::wakeIfReady(std::unique_lock<std::mutex> &lock)
{
    if (!resume || (!error && (resumeWhenDrained ? queued > 0 : queued > LowWater)))
        return;
    const std::function<void()> call = std::move(resume);
    resume = nullptr;
    lock.unlock();
    call();
    lock.lock();
}

Result<std::unique_ptr<FileWriter>> FileWriter::create(const QString &path)
{
    auto shared = std::make_shared<Shared>();
    shared->file.setFileName(path);
    // Unbuffered: every append is written by the worker, none by QFile's buffer in the owner's
    // thread at close().
    if (!shared->file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered))
        return writeError(shared->file.errorString());
    return std::unique_ptr<FileWriter>(new FileWriter(std::move(shared), path));
}

FileWriter::FileWriter(std::shared_ptr<Shared> shared, QString path)
    : m_shared(std::move(shared))
    , m_path(std::move(path))
{ }

FileWriter::~FileWriter()
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->resume = nullptr;
    if (m_keep)
        return; // what is queued is still written; the file closes with the last reference
    m_shared->abandoned = true;
    if (!m_shared->running) {
        m_shared->running = true;
        writers()->start([shared = m_shared] { shared->drain(); });
    }
}

Status FileWriter::append(QByteArrayView data)
{
    if (m_closed)
        return writeError(QStringLiteral("the file is closed"));
    if (data.isEmpty())
        return std::nullopt;
    std::lock_guard lock(m_shared->mutex);
    if (m_shared->error)
        return m_shared->error;
    m_shared->queue.emplace_back(data.data(), data.size());
    m_shared->queued += data.size();
    if (!m_shared->running) {
        m_shared->running = true;
        writers()->start([shared = m_shared] { shared->drain(); });
    }
    return std::nullopt;
}

bool FileWriter::ready(bool drained, std::function<void()> resume)
{
    std::lock_guard lock(m_shared->mutex);
    if (m_shared->error || (drained ? m_shared->queued == 0 : m_shared->queued < HighWater)) {
        m_shared->resume = nullptr;
        return true;
    }
    m_shared->resume = std::move(resume);
    m_shared->resumeWhenDrained = drained;
    return false;
}

Status FileWriter::close()
{
    if (m_closed)
        return std::nullopt;
    m_closed = true;
    std::unique_lock lock(m_shared->mutex);
    m_shared->idle.wait(lock, [this] { return !m_shared->running; });
    m_shared->resume = nullptr;
    if (!m_shared->file.flush() && !m_shared->error)
        m_shared->error = writeError(m_shared->file.errorString());
    m_shared->file.close();
    if (!m_shared->error && m_shared->file.error() != QFileDevice::NoError)
        m_shared->error = writeError(m_shared->file.errorString());
    return m_shared->error;
}

} // namespace mmv::http
