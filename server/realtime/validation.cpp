#include "validation.h"

#include <QDateTime>

namespace mmv::realtime {

bool isValidId(const QString &id)
{
    if (id.isEmpty() || id.size() > 128)
        return false;
    for (const QChar c : id) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
            || u == '_' || u == '.' || u == '-';
        if (!ok)
            return false;
    }
    return true;
}

Result<QString> requireId(const QJsonObject &object, const QString &name)
{
    const QJsonValue value = object.value(name);
    if (value.isUndefined() || value.isNull())
        return AppError{ ErrorCode::InvalidArgument, QStringLiteral("%1 is required").arg(name) };
    if (!value.isString())
        return AppError{ ErrorCode::InvalidArgument,
                         QStringLiteral("%1 must be a string").arg(name) };
    const QString id = value.toString();
    if (!isValidId(id)) {
        return AppError{
            ErrorCode::InvalidArgument,
            QStringLiteral("%1 must be 1-128 characters of A-Z a-z 0-9 _ . -").arg(name)
        };
    }
    return id;
}

Result<QString> requireText(const QJsonObject &object, const QString &name, int maxLength,
                            bool optional)
{
    const QJsonValue value = object.value(name);
    if (value.isUndefined() || value.isNull()) {
        if (optional)
            return QString();
        return AppError{ ErrorCode::InvalidArgument, QStringLiteral("%1 is required").arg(name) };
    }
    if (!value.isString())
        return AppError{ ErrorCode::InvalidArgument,
                         QStringLiteral("%1 must be a string").arg(name) };
    const QString text = value.toString().trimmed();
    if (text.isEmpty() && !optional)
        return AppError{ ErrorCode::InvalidArgument,
                         QStringLiteral("%1 must not be empty").arg(name) };
    // Characters, not UTF-16 units: an emoji counts once.
    const qsizetype characters = text.size()
        - std::count_if(text.cbegin(), text.cend(), [](QChar c) { return c.isLowSurrogate(); });
    if (characters > maxLength) {
        return AppError{
            ErrorCode::InvalidArgument,
            QStringLiteral("%1 is longer than %2 characters").arg(name).arg(maxLength)
        };
    }
    return text;
}

Result<double> optionalNumber(const QJsonObject &object, const QString &name, double min,
                              double max, double fallback)
{
    const QJsonValue value = object.value(name);
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (!value.isDouble())
        return AppError{ ErrorCode::InvalidArgument,
                         QStringLiteral("%1 must be a number").arg(name) };
    const double number = value.toDouble();
    if (!(number >= min && number <= max)) {
        return AppError{
            ErrorCode::InvalidArgument,
            QStringLiteral("%1 must be between %2 and %3").arg(name).arg(min).arg(max)
        };
    }
    return number;
}

QString timestampNow()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

} // namespace mmv::realtime
