#pragma once

#include "servertypes.h"

#include <QList>
#include <QMutex>

#include <deque>

namespace mmv {

/// Keeps the most recent warnings and errors of the whole process (any thread) so the
/// dashboard can show them. install() chains to the previous Qt message handler, so
/// everything still reaches stderr.
class LogHub
{
public:
    static LogHub &instance();

    /// Installs the message handler; safe to call more than once.
    static void install();

    void append(QtMsgType type, const QString &category, const QString &message);
    /// Entries with a sequence number greater than `after`, oldest first.
    QList<LogEntry> entriesAfter(qint64 after) const;
    qint64 lastSequence() const;

    static constexpr int Capacity = 2000;

private:
    LogHub() = default;

    mutable QMutex m_mutex;
    std::deque<LogEntry> m_entries;
    qint64 m_sequence = 0;
};

} // namespace mmv
