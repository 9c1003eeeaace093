#include "httprequest.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace mmv::http {

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.size() == name.size() && qstrnicmp(key.constData(), name.data(), key.size()) == 0)
            return value;
    }
    return {};
}

bool HttpRequest::hasHeader(QByteArrayView name) const
{
    for (const auto &header : headers) {
        if (header.first.size() == name.size()
            && qstrnicmp(header.first.constData(), name.data(), name.size()) == 0)
            return true;
    }
    return false;
}

QString HttpRequest::bearerToken() const
{
    const QByteArray value = header("authorization").trimmed();
    if (value.size() > 7 && qstrnicmp(value.constData(), "bearer ", 7) == 0)
        return QString::fromUtf8(value.mid(7).trimmed());
    return {};
}

Result<QJsonObject> HttpRequest::jsonObject() const
{
    if (body.isEmpty())
        return AppError{ ErrorCode::BadRequest, QStringLiteral("a JSON object body is required") };
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        return AppError{ ErrorCode::BadRequest,
                         QStringLiteral("invalid JSON at offset %1: %2")
                             .arg(error.offset)
                             .arg(error.errorString()) };
    }
    if (!doc.isObject())
        return AppError{ ErrorCode::BadRequest, QStringLiteral("the body must be a JSON object") };
    return doc.object();
}

QString HttpRequest::queryValue(const QString &key) const
{
    return query.queryItemValue(key, QUrl::FullyDecoded);
}

} // namespace mmv::http
