#include "loghub.h"

#include <QMutexLocker>

namespace mmv {

namespace {
QtMessageHandler previousHandler = nullptr;
bool installed = false;

void handleMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type != QtDebugMsg && type != QtInfoMsg) {
        LogHub::instance().append(
            type, QString::fromUtf8(context.category ? context.category : "default"), message);
    }
    if (previousHandler)
        previousHandler(type, context, message);
}
} // namespace

LogHub &LogHub::instance()
{
    static LogHub hub;
    return hub;
}

void LogHub::install()
{
    if (installed)
        return;
    installed = true;
    previousHandler = qInstallMessageHandler(handleMessage);
}

void LogHub::append(QtMsgType type, const QString &category, const QString &message)
{
    QMutexLocker lock(&m_mutex);
    LogEntry entry;
    entry.sequence = ++m_sequence;
    entry.time = QDateTime::currentDateTimeUtc();
    entry.type = type;
    entry.category = category;
    entry.message = message;
    m_entries.push_back(std::move(entry));
    while (m_entries.size() > Capacity)
        m_entries.pop_front();
}

QList<LogEntry> LogHub::entriesAfter(qint64 after) const
{
    QMutexLocker lock(&m_mutex);
    QList<LogEntry> result;
    for (auto it = m_entries.rbegin(); it != m_entries.rend() && it->sequence > after; ++it)
        result.prepend(*it);
    return result;
}

qint64 LogHub::lastSequence() const
{
    QMutexLocker lock(&m_mutex);
    return m_sequence;
}

} // namespace mmv
