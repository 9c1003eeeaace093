#pragma once

#include "httpresponse.h"

#include <QHash>
#include <QMimeDatabase>
#include <QMutex>

namespace mmv::http {

/// Serves files below one root (a Qt resource path such as ":/web" or a directory) with
/// correct MIME types, strong ETags and 304 answers. A path that would leave the root,
/// after percent-decoding, is answered 404 and never opened.
class StaticFiles
{
public:
    explicit StaticFiles(QString root);

    QString root() const { return m_root; }
    /// Answers a GET/HEAD for `path` (the decoded request path).
    HttpResponse serve(const HttpRequest &request, const QString &path);
    /// The file a request path maps to, or empty when it is outside the root or missing.
    QString resolve(const QString &path) const;

private:
    QByteArray etagFor(const QString &file);

    QString m_root;
    QMimeDatabase m_mimeTypes;
    struct CachedTag
    {
        qint64 size = -1;
        qint64 modified = 0;
        QByteArray etag;
    };
    QHash<QString, CachedTag> m_etags;
};

} // namespace mmv::http
