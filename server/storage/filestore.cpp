#include "filestore.h"

#include "server/core/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTemporaryFile>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace mmv::storage {

namespace {

constexpr qint64 ReadChunk = 64 * 1024;
// Reading backwards, a "line" longer than this is not one of our records (each is at most
// MaxRecordBytes): the file is damaged or not ours, so stop instead of buffering it whole.
constexpr qsizetype MaxScanBytes = 4 * FileStore::MaxRecordBytes;

AppError readError(const QString &path, const QFile &file)
{
    return AppError{ ErrorCode::Internal,
                     QStringLiteral("cannot read %1: %2").arg(path, file.errorString()) };
}

/// The last `limit` records of a JSON-lines file, oldest first. Reads backwards from the end in
/// chunks, so the cost depends on what is returned, not on the size of the file. Lines that are
/// not a JSON object (a torn last line, garbage) are skipped.
Result<QList<QJsonObject>> readLastRecords(const QString &path, qsizetype limit)
{
    QList<QJsonObject> newestFirst;
    QFile file(path);
    if (limit <= 0 || !file.exists())
        return newestFirst;
    if (!file.open(QIODevice::ReadOnly))
        return readError(path, file);

    // The line that ends where the bytes examined so far begin, in pieces (in file order) so
    // that a long line spanning many chunks is not copied again for each chunk.
    QList<QByteArray> tail;
    qsizetype tailSize = 0;
    const auto takeLine = [&](QByteArray head) {
        for (const QByteArray &piece : std::as_const(tail))
            head += piece;
        tail.clear();
        tailSize = 0;
        return head;
    };
    const auto take = [&](const QByteArray &line) {
        if (auto record = detail::parseObject(line))
            newestFirst.append(*record);
    };

    qint64 pos = file.size();
    while (newestFirst.size() < limit) {
        if (pos == 0) { // the tail is the first line of the file
            take(takeLine({}));
            break;
        }
        const qint64 start = std::max<qint64>(0, pos - ReadChunk);
        if (!file.seek(start))
            return readError(path, file);
        const QByteArray chunk = file.read(pos - start);
        if (chunk.size() != pos - start)
            return readError(path, file);
        pos = start;

        // Every line that follows a newline in the chunk is complete.
        qsizetype end = chunk.size();
        qsizetype newline = chunk.lastIndexOf('\n');
        while (newline >= 0 && newestFirst.size() < limit) {
            take(takeLine(chunk.sliced(newline + 1, end - newline - 1)));
            end = newline;
            newline = end > 0 ? chunk.lastIndexOf('\n', end - 1) : -1;
        }
        if (newestFirst.size() >= limit)
            break;
        tail.prepend(chunk.first(end));
        tailSize += end;
        if (tailSize > MaxScanBytes) {
            qCWarning(lcApp).nospace() << "storage: " << path << " has a line of more than "
                                       << MaxScanBytes << " bytes; older records are not read";
            break;
        }
    }
    std::reverse(newestFirst.begin(), newestFirst.end());
    return newestFirst;
}

/// Every record of a JSON-lines file, in order (skipping lines that are not a JSON object).
Result<QList<QJsonObject>> readAllRecords(const QString &path)
{
    QList<QJsonObject> records;
    QFile file(path);
    if (!file.exists())
        return records;
    if (!file.open(QIODevice::ReadOnly))
        return readError(path, file);
    while (!file.atEnd()) {
        QByteArray line = file.readLine();
        if (line.endsWith('\n'))
            line.chop(1);
        if (auto record = detail::parseObject(line))
            records.append(*record);
    }
    return records;
}

qint64 countLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    qint64 lines = 0;
    while (!file.atEnd())
        lines += file.read(ReadChunk).count('\n');
    return lines;
}

/// True if the file exists, is not empty and does not end with a newline: a crash tore its
/// last record.
bool endsWithTornLine(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() == 0 || !file.seek(file.size() - 1))
        return false;
    char last = '\n';
    return file.getChar(&last) && last != '\n';
}

} // namespace

FileStore::FileStore(const QString &dataDir, QObject *parent)
    : FileStore(dataDir, Options{}, parent)
{ }

FileStore::FileStore(const QString &dataDir, const Options &options, QObject *parent)
    : Store(parent)
    , m_root(QDir(dataDir).filePath(QStringLiteral("store")))
    , m_options(options)
    , m_files(std::max(1, options.maxOpenFiles))
{
    m_options.journalCap = std::max(1, m_options.journalCap);
    m_statusTimer.setSingleShot(true);
    m_statusTimer.setInterval(std::max(0, m_options.statusFlushMs));
    connect(&m_statusTimer, &QTimer::timeout, this, &FileStore::flushStatuses);
    m_statusWriter.setMaxThreadCount(1);
}

FileStore::~FileStore()
{
    close();
}

QString FileStore::kind() const
{
    return QStringLiteral("file");
}

QString FileStore::health() const
{
    return QStringLiteral("disabled");
}

Status FileStore::open()
{
    if (m_open)
        return std::nullopt;
    for (const QString &sub :
         { QStringLiteral("chat"), QStringLiteral("results"), QStringLiteral("status") }) {
        const QString path = m_root + u'/' + sub;
        if (!QDir().mkpath(path) || !QFileInfo(path).isDir())
            return AppError{ ErrorCode::Internal,
                             QStringLiteral("cannot create the storage directory %1").arg(path) };
    }
    QTemporaryFile probe(m_root + QStringLiteral("/.probe-XXXXXX"));
    if (!probe.open())
        return AppError{ ErrorCode::Internal,
                         QStringLiteral("the storage directory %1 is not writable: %2")
                             .arg(m_root, probe.errorString()) };
    m_journalCount = countLines(journalPath());
    m_open = true;
    qCDebug(lcApp) << "storage: files in" << m_root;
    return std::nullopt;
}

void FileStore::close()
{
    flushStatuses();
    m_statusWriter.waitForDone();
    m_latestStatus.clear(); // what the disk says from now on
    m_files.clear();
    m_connections.clear();
    m_open = false;
}

QString FileStore::chatPath(const QString &sessionId) const
{
    return m_root + QStringLiteral("/chat/session-") + sessionId + QStringLiteral(".jsonl");
}

QString FileStore::resultsPath(const QString &videoId) const
{
    return m_root + QStringLiteral("/results/video-") + videoId + QStringLiteral(".jsonl");
}

QString FileStore::statusPath(const QString &videoId) const
{
    return m_root + QStringLiteral("/status/video-") + videoId + QStringLiteral(".json");
}

QString FileStore::journalPath() const
{
    return m_root + QStringLiteral("/journal.jsonl");
}

QString FileStore::olderJournalPath() const
{
    return m_root + QStringLiteral("/journal.1.jsonl");
}

void FileStore::dropWrite(const QString &reason)
{
    ++m_dropped;
    if (m_warnings.allow()) {
        const qint64 suppressed = m_warnings.takeSuppressed();
        qCWarning(lcApp).noquote()
            << "storage: write lost:" << reason
            << QStringLiteral("(%1 lost in total)").arg(m_dropped)
            << (suppressed ? QStringLiteral("; %1 similar warnings suppressed").arg(suppressed)
                           : QString());
    }
}

QFile *FileStore::appendHandle(const QString &path)
{
    if (std::unique_ptr<QFile> *cached = m_files.find(path))
        return cached->get();
    const bool torn = endsWithTornLine(path);
    auto file = std::make_unique<QFile>(path);
    // Unbuffered: each record reaches the kernel in one write() as soon as it is appended, so
    // a crash of the process loses nothing that was appended before it.
    if (!file->open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered))
        return nullptr;
    // Close off a record torn by a crash so that the next one starts on a line of its own.
    if (torn && file->write("\n", 1) != 1)
        return nullptr;
    return m_files.insert(path, std::move(file)).get();
}

bool FileStore::appendRecord(const QString &path, const QJsonObject &record)
{
    if (!m_open) {
        dropWrite(QStringLiteral("the store is not open"));
        return false;
    }
    QByteArray line = detail::toJson(record);
    if (line.size() > MaxRecordBytes) {
        dropWrite(QStringLiteral("a record of %1 bytes is over the limit").arg(line.size()));
        return false;
    }
    line.append('\n');
    QFile *file = appendHandle(path);
    if (!file) {
        dropWrite(QStringLiteral("cannot open %1").arg(path));
        return false;
    }
    if (file->write(line) != line.size()) {
        const QString error = file->errorString();
        // A short write leaves a torn line; reopening closes it off before the next record.
        m_files.remove(path);
        dropWrite(QStringLiteral("cannot write %1: %2").arg(path, error));
        return false;
    }
    return true;
}

void FileStore::appendChatMessage(const QString &sessionId, const QJsonObject &message)
{
    if (!detail::isValidId(sessionId)) {
        dropWrite(detail::invalidIdError(QStringLiteral("session"), sessionId).message);
        return;
    }
    appendRecord(chatPath(sessionId), message);
}

void FileStore::chatHistory(const QString &sessionId, int limit, Reply<QList<QJsonObject>> reply)
{
    if (!detail::isValidId(sessionId)) {
        reply(detail::invalidIdError(QStringLiteral("session"), sessionId));
        return;
    }
    reply(readLastRecords(chatPath(sessionId), limit));
}

void FileStore::setLatestStatus(const QString &videoId, const QJsonObject &status)
{
    if (!detail::isValidId(videoId)) {
        dropWrite(detail::invalidIdError(QStringLiteral("video"), videoId).message);
        return;
    }
    if (!m_open) {
        dropWrite(QStringLiteral("the store is not open"));
        return;
    }
    m_latestStatus.insert(videoId, status);
    // Progress updates of the same state are coalesced and written behind the caller's back; a
    // change of state (queued, running, completed...) is on the disk before this returns, so
    // that a crash never loses one (a restart marks the jobs it finds running as interrupted):
    // the writer is waited for, which also keeps it behind the progress queued before it.
    const QString state = status.value(u"state").toString();
    const bool stateChanged = m_lastStatusState.value(videoId) != state;
    m_lastStatusState.insert(videoId, state);
    if (m_options.statusFlushMs <= 0 || stateChanged) {
        m_pendingStatus.remove(videoId);
        writeStatus(videoId, status);
        m_statusWriter.waitForDone();
        return;
    }
    m_pendingStatus.insert(videoId, status);
    if (!m_statusTimer.isActive())
        m_statusTimer.start();
}

void FileStore::writeStatus(const QString &videoId, const QJsonObject &status)
{
    inStatusWriter([path = statusPath(videoId), bytes = detail::toJson(status)] {
        // QSaveFile writes a temporary file, syncs it and renames it over the old one: a
        // reader (or a restart after a crash) sees the previous status or the new one.
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) < 0 || !file.commit())
            return std::optional(
                QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        qCDebug(lcApp) << "storage: wrote" << path;
        return std::optional<QString>();
    });
}

void FileStore::inStatusWriter(std::function<std::optional<QString>()> work)
{
    if (m_options.statusFlushMs <= 0) {
        if (const std::optional<QString> error = work())
            dropWrite(*error);
        return;
    }
    // close() waits for the writer, so the store outlives the work; a failure is reported
    // here, in the store's thread.
    m_statusWriter.start([this, work = std::move(work)] {
        if (const std::optional<QString> error = work())
            QMetaObject::invokeMethod(
                this, [this, message = *error] { dropWrite(message); }, Qt::QueuedConnection);
    });
}

void FileStore::flushStatuses()
{
    m_statusTimer.stop();
    const QHash<QString, QJsonObject> pending = std::exchange(m_pendingStatus, {});
    for (auto it = pending.cbegin(); it != pending.cend(); ++it)
        writeStatus(it.key(), it.value());
}

void FileStore::latestStatus(const QString &videoId, Reply<std::optional<QJsonObject>> reply)
{
    if (!detail::isValidId(videoId)) {
        reply(detail::invalidIdError(QStringLiteral("video"), videoId));
        return;
    }
    // Set in this run: perhaps not on the disk yet (or not gone from it yet).
    if (const auto latest = m_latestStatus.constFind(videoId); latest != m_latestStatus.cend()) {
        reply(latest.value());
        return;
    }
    QFile file(statusPath(videoId));
    if (!file.exists()) {
        reply(std::optional<QJsonObject>());
        return;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        reply(readError(file.fileName(), file));
        return;
    }
    const std::optional<QJsonObject> status = detail::parseObject(file.readAll());
    if (!status)
        qCWarning(lcApp) << "storage: ignoring the unreadable status file" << file.fileName();
    reply(status);
}

void FileStore::appendResult(const QString &videoId, const QJsonObject &result)
{
    if (!detail::isValidId(videoId)) {
        dropWrite(detail::invalidIdError(QStringLiteral("video"), videoId).message);
        return;
    }
    appendRecord(resultsPath(videoId), result);
}

void FileStore::results(const QString &videoId, Reply<QList<QJsonObject>> reply)
{
    if (!detail::isValidId(videoId)) {
        reply(detail::invalidIdError(QStringLiteral("video"), videoId));
        return;
    }
    reply(readAllRecords(resultsPath(videoId)));
}

void FileStore::clearVideo(const QString &videoId)
{
    if (!detail::isValidId(videoId)) {
        dropWrite(detail::invalidIdError(QStringLiteral("video"), videoId).message);
        return;
    }
    m_pendingStatus.remove(videoId);
    m_latestStatus.insert(videoId, std::nullopt);
    m_lastStatusState.remove(videoId);
    const auto remove = [](const QString &path) {
        QFile file(path);
        if (file.exists() && !file.remove())
            return std::optional(
                QStringLiteral("cannot remove %1: %2").arg(path, file.errorString()));
        return std::optional<QString>();
    };
    const QString results = resultsPath(videoId);
    m_files.remove(results);
    if (const std::optional<QString> error = remove(results))
        dropWrite(*error);
    // After the writes of this status still queued.
    inStatusWriter([remove, path = statusPath(videoId)] { return remove(path); });
}

void FileStore::registerConnection(const QString &socketId, const QJsonObject &info)
{
    m_connections.insert(socketId, info);
}

void FileStore::unregisterConnection(const QString &socketId)
{
    m_connections.remove(socketId);
}

void FileStore::connections(Reply<QList<QJsonObject>> reply)
{
    reply(m_connections.values());
}

void FileStore::rotateJournal()
{
    const QString current = journalPath();
    m_files.remove(current);
    // rename(2) replaces the older file atomically: at every moment one of them is complete.
    if (std::rename(QFile::encodeName(current).constData(),
                    QFile::encodeName(olderJournalPath()).constData())
            != 0
        && errno != ENOENT)
        qCWarning(lcApp) << "storage: cannot rotate" << current << ":" << std::strerror(errno);
    m_journalCount = 0;
}

void FileStore::appendJournal(const QJsonObject &entry)
{
    if (m_open && m_journalCount >= m_options.journalCap)
        rotateJournal();
    if (appendRecord(journalPath(), entry))
        ++m_journalCount;
}

void FileStore::journal(int limit, Reply<QList<QJsonObject>> reply)
{
    const qsizetype wanted = std::min(limit, m_options.journalCap);
    Result<QList<QJsonObject>> newer = readLastRecords(journalPath(), wanted);
    if (!newer || newer.value().size() >= wanted) {
        reply(std::move(newer));
        return;
    }
    Result<QList<QJsonObject>> older
        = readLastRecords(olderJournalPath(), wanted - newer.value().size());
    if (!older) {
        reply(std::move(older));
        return;
    }
    reply(older.value() + newer.value());
}

} // namespace mmv::storage
