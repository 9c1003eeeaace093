#include "filewriter.h"

#include <QFile>
#include <QThreadPool>

#include <condition_variable>
#include <deque>
#include <mutex>

namespace mmv::http {

namespace {

Q_GLOBAL_STATIC(QThreadPool, writerPool)

/// The writers' threads, apart from the global pool's (it probes uploads): up to 32 uploads
/// are written side by side, each at its own disk's pace; beyond that they take turns
/// (BlocksPerTurn).
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
/// Appends join the last queued block up to this size: a body that arrives a byte at a time
/// (chunked encoding lets a client do that) costs neither a queue entry nor a write(2) a byte.
constexpr qsizetype BlockBytes = 256 * 1024;
/// A worker gives its thread back after this many blocks and queues itself again, so that a
/// file whose disk never catches up does not keep a thread from the others.
constexpr int BlocksPerTurn = 32;

AppError writeError(const QString &why)
{
    return AppError{ ErrorCode::Internal, QStringLiteral("cannot write the upload: %1").arg(why) };
}

} // namespace

struct FileWriter::Shared
{
    /// The worker: writes what is queued, in order, until the queue is empty (or its turn is
    /// over: then it queues itself again); deletes the file instead once it is abandoned.
    static void drain(const std::shared_ptr<Shared> &self);
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

void FileWriter::Shared::drain(const std::shared_ptr<Shared> &self)
{
    Shared &s = *self;
    std::unique_lock lock(s.mutex);
    for (int turn = 0; !s.queue.empty() && !s.abandoned; ++turn) {
        if (turn == BlocksPerTurn) {
            writers()->start([self] { drain(self); }); // still `running`
            return;
        }
        const QByteArray data = std::move(s.queue.front());
        s.queue.pop_front();
        const bool failed = s.error.has_value();
        lock.unlock();
        QString why;
        if (!failed && s.file.write(data) != data.size())
            why = s.file.errorString();
        lock.lock();
        s.queued -= data.size();
        if (!why.isEmpty() && !s.error) {
            s.error = writeError(why);
            s.queued = 0; // what follows is dropped
            s.queue.clear();
        }
        s.wakeIfReady(lock);
    }
    if (s.abandoned) {
        s.queue.clear();
        s.queued = 0;
        const QString path = s.file.fileName();
        s.file.close();
        QFile::remove(path);
    }
    s.running = false;
    s.idle.notify_all();
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
        writers()->start([shared = m_shared] { Shared::drain(shared); });
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
    // The worker takes a block out of the queue before it writes it: the last one queued is
    // free to grow.
    if (!m_shared->queue.empty() && m_shared->queue.back().size() < BlockBytes)
        m_shared->queue.back().append(data.data(), data.size());
    else
        m_shared->queue.emplace_back(data.data(), data.size());
    m_shared->queued += data.size();
    if (!m_shared->running) {
        m_shared->running = true;
        writers()->start([shared = m_shared] { Shared::drain(shared); });
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
    std::unique_lock lock(m_shared->mutex);
    if (m_closed)
        return m_shared->error;
    m_closed = true;
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
