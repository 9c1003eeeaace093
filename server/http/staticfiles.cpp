#include "staticfiles.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace mmv::http {

StaticFiles::StaticFiles(QString root)
    : m_root(std::move(root))
{
    while (m_root.size() > 1 && m_root.endsWith(QLatin1Char('/')))
        m_root.chop(1);
}

QString StaticFiles::resolve(const QString &path) const
{
    if (!path.startsWith(QLatin1Char('/')) || path.contains(QChar(0))
        || path.contains(QLatin1Char('\\')))
        return {};
    const QStringList segments = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const QString &segment : segments) {
        // Reject instead of normalising: "/a/../b" is never a link we produce.
        if (segment == u".." || segment == u"." || segment.startsWith(QLatin1Char('~')))
            return {};
    }
    QString file = m_root + QLatin1Char('/') + segments.join(QLatin1Char('/'));
    QFileInfo info(file);
    if (info.isDir()) {
        file = QDir::cleanPath(file + QStringLiteral("/index.html"));
        info.setFile(file);
    }
    if (!info.isFile())
        return {};
    // Belt and braces: the canonical path must still be below the root (symlinks on disk).
    if (!m_root.startsWith(QLatin1Char(':'))) {
        const QString canonicalRoot = QFileInfo(m_root).canonicalFilePath();
        const QString canonical = info.canonicalFilePath();
        if (canonicalRoot.isEmpty() || !canonical.startsWith(canonicalRoot + QLatin1Char('/')))
            return {};
    }
    return file;
}

QByteArray StaticFiles::etagFor(const QString &file)
{
    const QFileInfo info(file);
    const qint64 modified = info.lastModified().toMSecsSinceEpoch();
    CachedTag &cached = m_etags[file];
    if (cached.size == info.size() && cached.modified == modified && !cached.etag.isEmpty())
        return cached.etag;
    QFile f(file);
    QCryptographicHash hash(QCryptographicHash::Sha1);
    if (f.open(QIODevice::ReadOnly))
        hash.addData(&f);
    cached.size = info.size();
    cached.modified = modified;
    cached.etag = '"' + hash.result().toHex().left(20) + '"';
    return cached.etag;
}

HttpResponse StaticFiles::serve(const HttpRequest &request, const QString &path)
{
    const QString file = resolve(path);
    if (file.isEmpty())
        return HttpResponse::error(ErrorCode::NotFound, QStringLiteral("no such file"));

    const QByteArray etag = etagFor(file);
    HttpResponse response;
    response.setHeader("ETag", etag);
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Content-Type-Options", "nosniff");

    const QByteArray ifNoneMatch = request.header("if-none-match");
    if (!ifNoneMatch.isEmpty()) {
        const QList<QByteArray> tags = ifNoneMatch.split(',');
        for (QByteArray tag : tags) {
            tag = tag.trimmed();
            if (tag.startsWith("W/"))
                tag = tag.mid(2);
            if (tag == etag || tag == "*") {
                response.status = 304;
                return response;
            }
        }
    }

    const QMimeType mime = m_mimeTypes.mimeTypeForFile(file, QMimeDatabase::MatchExtension);
    QByteArray contentType = mime.name().toLatin1();
    if (file.endsWith(u".js") || file.endsWith(u".mjs"))
        contentType = "text/javascript";
    if (contentType.startsWith("text/") || contentType == "application/json"
        || contentType == "image/svg+xml")
        contentType += "; charset=utf-8";
    response.setHeader("Content-Type", contentType);
    if (contentType.startsWith("text/html")) {
        // The page shows untrusted text (chat, file names): no inline script, nothing from
        // elsewhere, and the token in the viewer link never leaks through a Referer.
        response.setHeader("Content-Security-Policy",
                           "default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' blob: data:; media-src 'self' blob:; "
                           "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
    }

    auto device = std::make_shared<QFile>(file);
    if (!device->open(QIODevice::ReadOnly))
        return HttpResponse::error(ErrorCode::NotFound, QStringLiteral("cannot open file"));
    response.streamLength = device->size();
    response.stream = std::move(device);
    return response;
}

} // namespace mmv::http
