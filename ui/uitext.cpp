#include "uitext.h"

#include <QLocale>

namespace mmv::ui {

QString UiText::status(ServerState::Status status)
{
    switch (status) {
    case ServerState::Status::Stopped:
        return tr("Stopped");
    case ServerState::Status::Starting:
        return tr("Starting…");
    case ServerState::Status::Listening:
        return tr("Listening");
    case ServerState::Status::Stopping:
        return tr("Stopping…");
    case ServerState::Status::Failed:
        return tr("Failed");
    }
    return {};
}

QString UiText::uptime(qint64 seconds)
{
    if (seconds < 0)
        return none();
    const qint64 days = seconds / 86400;
    const QString clock = QStringLiteral("%1:%2:%3")
                              .arg((seconds / 3600) % 24, 2, 10, QLatin1Char('0'))
                              .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
                              .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    if (days == 0)
        return clock;
    //: Uptime of more than a day: %1 is the number of days, %2 is hh:mm:ss.
    return tr("%1 d %2").arg(days).arg(clock);
}

QString UiText::bindAddress(const QHostAddress &address)
{
    if (address.isNull())
        return none();
    if (address == QHostAddress::Any)
        return tr("All interfaces (IPv4 and IPv6)");
    if (address == QHostAddress::AnyIPv4)
        return tr("All IPv4 interfaces (0.0.0.0)");
    if (address == QHostAddress::AnyIPv6)
        return tr("All IPv6 interfaces (::)");
    if (address.isLoopback())
        return tr("%1 (this computer only)").arg(address.toString());
    return address.toString();
}

QString UiText::storage(const QString &backend)
{
    if (backend == QLatin1String("file"))
        return tr("Embedded (files in the data directory)");
    if (backend == QLatin1String("redis"))
        return tr("Redis");
    return backend.isEmpty() ? none() : backend;
}

QString UiText::logLevel(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return tr("Debug");
    case QtInfoMsg:
        return tr("Info");
    case QtWarningMsg:
        return tr("Warning");
    case QtCriticalMsg:
        return tr("Error");
    case QtFatalMsg:
        return tr("Fatal");
    }
    return {};
}

QString UiText::dataSize(qint64 bytes)
{
    const QLocale locale;
    // Qt's own "bytes" is not translated in every language; the unit symbol needs no
    // translation.
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(locale.toString(bytes));
    return locale.formattedDataSize(bytes);
}

QString UiText::none()
{
    return QStringLiteral("—");
}

} // namespace mmv::ui
