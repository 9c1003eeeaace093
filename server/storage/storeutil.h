#pragma once

// Helpers shared by FileStore and RedisStore; not part of the storage API.

#include "server/core/apperror.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <utility>

namespace mmv::storage::detail {

/// Session and video ids: [A-Za-z0-9_.-]{1,128}. "." and ".." are valid ids, so an id is
/// never used as a path component on its own.
bool isValidId(const QString &id);
/// The InvalidArgument error for a malformed id (shortened for the message).
AppError invalidIdError(const QString &what, const QString &id);
/// At most 40 characters of an id, for log lines.
QString shortened(const QString &text);

/// Compact JSON of `object`. Compact JSON never holds a raw newline, so one record is one line.
QByteArray toJson(const QJsonObject &object);
/// A JSON object, or nothing for anything else (torn or garbage lines included).
std::optional<QJsonObject> parseObject(const QByteArray &bytes);

/// Lets an event through at most once per interval and counts the ones it held back, so a
/// warning about a flood of failures is logged, not repeated for each failure.
class RateLimiter
{
public:
    explicit RateLimiter(qint64 intervalMs)
        : m_intervalMs(intervalMs)
    { }

    /// True if the event may be reported now; otherwise counts it as suppressed.
    bool allow()
    {
        if (m_timer.isValid() && m_timer.elapsed() < m_intervalMs) {
            ++m_suppressed;
            return false;
        }
        m_timer.start();
        return true;
    }

    /// How many events were held back since the last allowed one (and resets the count).
    qint64 takeSuppressed() { return std::exchange(m_suppressed, 0); }

private:
    qint64 m_intervalMs;
    qint64 m_suppressed = 0;
    QElapsedTimer m_timer;
};

} // namespace mmv::storage::detail
