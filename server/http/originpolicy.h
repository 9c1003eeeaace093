#pragma once

#include "httpresponse.h"

#include <QSet>
#include <QStringList>

namespace mmv::http {

/// Decides which Host and Origin headers the server accepts, and which CORS headers it
/// answers with.
///
/// Host must name this machine (loopback, any local interface address, the host name) or
/// the host of an allowed origin: that defeats DNS rebinding. A request with an Origin is
/// accepted when it is same-origin (the Origin's host is an accepted host and its port is
/// the Host's) or the Origin is in the allowed list ("*" allows every origin).
class OriginPolicy
{
public:
    OriginPolicy();

    void setAllowedOrigins(const QStringList &origins);
    QStringList allowedOrigins() const { return m_allowedOrigins; }
    /// Extra host names accepted in the Host header (e.g. a reverse proxy's name).
    void setExtraHosts(const QStringList &hosts);
    /// Re-reads the machine's addresses and host name.
    void refreshLocalHosts();

    Status checkHost(const QByteArray &hostHeader) const;
    Status checkOrigin(const HttpRequest &request) const;
    /// True when the request carries an Origin that is allowed cross-origin.
    bool isAllowedCrossOrigin(const QByteArray &origin) const;

    /// Adds CORS headers to a response for an allowed cross-origin request.
    void applyCors(const HttpRequest &request, HttpResponse &response) const;
    /// Answers an OPTIONS preflight request.
    HttpResponse preflight(const HttpRequest &request,
                           const QList<QByteArray> &allowedMethods) const;

    static QString hostOnly(const QByteArray &hostHeader, bool *ok = nullptr);

private:
    bool isLocalHost(const QString &host) const;

    QStringList m_allowedOrigins;
    bool m_anyOrigin = false;
    QSet<QString> m_localHosts;
    QSet<QString> m_extraHosts;
};

} // namespace mmv::http
