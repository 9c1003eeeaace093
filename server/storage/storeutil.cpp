#include "storeutil.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>

namespace mmv::storage::detail {

bool isValidId(const QString &id)
{
    if (id.isEmpty() || id.size() > 128)
        return false;
    return std::all_of(id.cbegin(), id.cend(), [](QChar c) {
        const char16_t u = c.unicode();
        return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
            || u == u'_' || u == u'.' || u == u'-';
    });
}

QString shortened(const QString &text)
{
    return text.size() <= 40 ? text : text.left(37) + QStringLiteral("...");
}

AppError invalidIdError(const QString &what, const QString &id)
{
    return AppError{ ErrorCode::InvalidArgument,
                     QStringLiteral("invalid %1 id '%2': expected 1-128 of [A-Za-z0-9_.-]")
                         .arg(what, shortened(id)) };
}

QByteArray toJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<QJsonObject> parseObject(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

} // namespace mmv::storage::detail
