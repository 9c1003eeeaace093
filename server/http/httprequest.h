#pragma once

#include "bodysink.h"

#include "server/core/apperror.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QUrlQuery>

#include <memory>

namespace mmv::http {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

/// A parsed HTTP request as handlers see it. Header names are lower-case.
struct HttpRequest
{
    QByteArray method;
    QByteArray target; ///< the raw request target
    QString path; ///< percent-decoded path of the target
    QUrlQuery query;
    int versionMajor = 1;
    int versionMinor = 1;
    HeaderList headers;
    QByteArray body; ///< buffered body (empty for streaming routes)
    std::shared_ptr<BodySink> sink; ///< the sink that received the body, for streaming routes
    QHash<QString, QString> params; ///< path parameters filled in by the router
    QHostAddress remoteAddress;
    quint16 remotePort = 0;

    /// First value of a header (name in any case), or an empty array.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    /// The token given as "Authorization: Bearer <token>", or empty.
    QString bearerToken() const;
    /// Parses the body as a JSON object, with a clear error when it is not one.
    Result<QJsonObject> jsonObject() const;
    QString queryValue(const QString &key) const;
};

} // namespace mmv::http
