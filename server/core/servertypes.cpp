#include "servertypes.h"

#include "realtimetypes.h"
#include "videotypes.h"

#include <QJsonObject>

#include <QNetworkInterface>
#include <QUrl>
#include <QUrlQuery>

namespace mmv {

QString toString(ServerState::Status status)
{
    switch (status) {
    case ServerState::Status::Stopped:
        return QStringLiteral("stopped");
    case ServerState::Status::Starting:
        return QStringLiteral("starting");
    case ServerState::Status::Listening:
        return QStringLiteral("listening");
    case ServerState::Status::Stopping:
        return QStringLiteral("stopping");
    case ServerState::Status::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

QString ServerState::viewerLink(const QString &viewerToken) const
{
    if (urls.isEmpty())
        return {};
    QUrl url(urls.first());
    if (!viewerToken.isEmpty()) {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("token"), viewerToken);
        url.setQuery(query);
    }
    return url.toString();
}

QString urlFor(const QHostAddress &address, quint16 port)
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(address.toString());
    url.setPort(port);
    url.setPath(QStringLiteral("/"));
    return url.toString();
}

QList<QHostAddress> reachableAddresses(const QHostAddress &bindAddress)
{
    const bool any = bindAddress == QHostAddress::Any || bindAddress == QHostAddress::AnyIPv4
        || bindAddress == QHostAddress::AnyIPv6;
    if (!any)
        return { bindAddress };

    QList<QHostAddress> lan;
    QList<QHostAddress> loopback;
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &iface : interfaces) {
        if (!(iface.flags() & QNetworkInterface::IsUp))
            continue;
        const auto entries = iface.addressEntries();
        for (const QNetworkAddressEntry &entry : entries) {
            QHostAddress address = entry.ip();
            if (address.protocol() == QAbstractSocket::IPv6Protocol) {
                // Link-local IPv6 needs a scope id that browsers do not accept in URLs.
                if (address.isLinkLocal() || bindAddress == QHostAddress::AnyIPv4)
                    continue;
                address.setScopeId(QString());
            }
            if (address.isLoopback())
                loopback.append(address);
            else
                lan.append(address);
        }
    }
    // IPv4 first: that is what people type and what phones scan.
    std::stable_sort(lan.begin(), lan.end(), [](const QHostAddress &a, const QHostAddress &b) {
        return a.protocol() == QAbstractSocket::IPv4Protocol
            && b.protocol() != QAbstractSocket::IPv4Protocol;
    });
    std::stable_sort(loopback.begin(), loopback.end(),
                     [](const QHostAddress &a, const QHostAddress &b) {
                         return a.protocol() == QAbstractSocket::IPv4Protocol
                             && b.protocol() != QAbstractSocket::IPv4Protocol;
                     });
    if (loopback.isEmpty())
        loopback.append(QHostAddress(QHostAddress::LocalHost));
    return lan + loopback;
}

void registerServerMetaTypes()
{
    qRegisterMetaType<ServerConfig>();
    qRegisterMetaType<ServerState>();
    qRegisterMetaType<ServerStats>();
    qRegisterMetaType<LogEntry>();
    qRegisterMetaType<QList<LogEntry>>();
    qRegisterMetaType<ConnectionInfo>();
    qRegisterMetaType<QList<ConnectionInfo>>();
    qRegisterMetaType<RoomInfo>();
    qRegisterMetaType<QList<RoomInfo>>();
    qRegisterMetaType<EventRecord>();
    qRegisterMetaType<QList<EventRecord>>();
    qRegisterMetaType<VideoInfo>();
    qRegisterMetaType<QList<VideoInfo>>();
    qRegisterMetaType<QList<QJsonObject>>();
}

} // namespace mmv
