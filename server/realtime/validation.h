#pragma once

#include "server/core/apperror.h"

#include <QJsonObject>
#include <QString>

namespace mmv::realtime {

/// `session_id` and `video_id`: 1-128 characters of [A-Za-z0-9_.-].
bool isValidId(const QString &id);

/// The string field `name` of `object`, validated as an id.
Result<QString> requireId(const QJsonObject &object, const QString &name);
/// The string field `name`, 1..maxLength characters after trimming; `optional` accepts a
/// missing field (an empty string is returned).
Result<QString> requireText(const QJsonObject &object, const QString &name, int maxLength,
                            bool optional = false);
/// An optional number field within [min, max]; `fallback` when absent.
Result<double> optionalNumber(const QJsonObject &object, const QString &name, double min,
                              double max, double fallback);

/// ISO 8601 UTC with milliseconds, the protocol's timestamp format.
QString timestampNow();

} // namespace mmv::realtime
