#include "originpolicy.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QNetworkInterface>
#include <QUrl>

namespace mmv::http {

OriginPolicy::OriginPolicy()
{
    refreshLocalHosts();
}

void OriginPolicy::setAllowedOrigins(const QStringList &origins)
{
    m_allowedOrigins.clear();
    m_anyOrigin = false;
    for (const QString &origin : origins) {
        if (origin == u"*")
            m_anyOrigin = true;
        else
            m_allowedOrigins.append(origin.toLower());
    }
}

void OriginPolicy::setExtraHosts(const QStringList &hosts)
{
    m_extraHosts.clear();
    for (const QString &host : hosts)
        m_extraHosts.insert(host.toLower());
}

void OriginPolicy::refreshLocalHosts()
{
    m_localHosts = { QStringLiteral("localhost"), QStringLiteral("localhost.localdomain") };
    const QString name = QHostInfo::localHostName().toLower();
    if (!name.isEmpty()) {
        m_localHosts.insert(name);
        m_localHosts.insert(name + QStringLiteral(".local"));
        const QString domain = QHostInfo::localDomainName().toLower();
        if (!domain.isEmpty())
            m_localHosts.insert(name + QLatin1Char('.') + domain);
    }
    const auto addresses = QNetworkInterface::allAddresses();
    for (QHostAddress address : addresses) {
        address.setScopeId(QString());
        m_localHosts.insert(address.toString().toLower());
    }
}

QString OriginPolicy::hostOnly(const QByteArray &hostHeader, bool *ok)
{
    QString host = QString::fromLatin1(hostHeader.trimmed()).toLower();
    bool valid = !host.isEmpty();
    if (host.startsWith(QLatin1Char('['))) {
        const qsizetype end = host.indexOf(QLatin1Char(']'));
        valid = end > 0;
        host = valid ? host.mid(1, end - 1) : QString();
    } else if (const qsizetype colon = host.lastIndexOf(QLatin1Char(':')); colon >= 0) {
        bool portOk = false;
        host.mid(colon + 1).toUShort(&portOk);
        valid = portOk || colon == host.size() - 1;
        host.truncate(colon);
    }
    if (host.endsWith(QLatin1Char('.')))
        host.chop(1); // "localhost." is the same name
    if (ok)
        *ok = valid && !host.isEmpty();
    return host;
}

bool OriginPolicy::isLocalHost(const QString &host) const
{
    if (m_localHosts.contains(host) || m_extraHosts.contains(host))
        return true;
    QHostAddress address;
    if (address.setAddress(host) && address.isLoopback())
        return true; // all of 127.0.0.0/8
    for (const QString &origin : m_allowedOrigins) {
        if (QUrl(origin).host().toLower() == host)
            return true;
    }
    return false;
}

Status OriginPolicy::checkHost(const QByteArray &hostHeader) const
{
    bool ok = false;
    const QString host = hostOnly(hostHeader, &ok);
    if (!ok)
        return AppError{ ErrorCode::BadRequest, QStringLiteral("missing or invalid Host header") };
    if (!isLocalHost(host)) {
        return AppError{ ErrorCode::Forbidden,
                         QStringLiteral("host '%1' is not an address of this server").arg(host) };
    }
    return std::nullopt;
}

bool OriginPolicy::isAllowedCrossOrigin(const QByteArray &origin) const
{
    if (origin.isEmpty())
        return false;
    if (m_anyOrigin)
        return true;
    return m_allowedOrigins.contains(QString::fromLatin1(origin).toLower());
}

Status OriginPolicy::checkOrigin(const HttpRequest &request) const
{
    const QByteArray origin = request.header("origin");
    if (origin.isEmpty())
        return std::nullopt; // not a browser, or a same-origin GET
    if (isAllowedCrossOrigin(origin))
        return std::nullopt;
    const QUrl url(QString::fromLatin1(origin));
    const QString host = url.host().toLower();
    // Same origin: the page was served by us under the very name the request uses.
    const QByteArray hostHeader = request.header("host");
    bool ok = false;
    const QString requestHost = hostOnly(hostHeader, &ok);
    const int defaultPort = url.scheme() == u"https" ? 443 : 80;
    const QByteArray hostPort = hostHeader.mid(hostHeader.lastIndexOf(':') + 1);
    const int requestPort
        = hostHeader.contains(':') && !hostHeader.endsWith(']') ? hostPort.toInt() : defaultPort;
    if (ok && url.isValid() && host == requestHost && url.port(defaultPort) == requestPort
        && isLocalHost(host))
        return std::nullopt;
    return AppError{
        ErrorCode::Forbidden,
        QStringLiteral("origin '%1' is not allowed").arg(QString::fromLatin1(origin))
    };
}

void OriginPolicy::applyCors(const HttpRequest &request, HttpResponse &response) const
{
    const QByteArray origin = request.header("origin");
    if (!isAllowedCrossOrigin(origin))
        return;
    response.setHeader("Access-Control-Allow-Origin", origin);
    response.setHeader("Access-Control-Allow-Credentials", "true");
    response.setHeader("Vary", "Origin");
}

HttpResponse OriginPolicy::preflight(const HttpRequest &request,
                                     const QList<QByteArray> &allowedMethods) const
{
    HttpResponse response = HttpResponse::noContent(204);
    applyCors(request, response);
    if (!response.header("access-control-allow-origin").isEmpty()) {
        QList<QByteArray> methods = allowedMethods;
        if (!methods.contains("OPTIONS"))
            methods.append("OPTIONS");
        response.setHeader("Access-Control-Allow-Methods", methods.join(", "));
        const QByteArray requested = request.header("access-control-request-headers");
        response.setHeader("Access-Control-Allow-Headers",
                           requested.isEmpty() ? QByteArray("Authorization, Content-Type")
                                               : requested);
        response.setHeader("Access-Control-Max-Age", "600");
    }
    return response;
}

} // namespace mmv::http
