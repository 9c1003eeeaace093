#pragma once

#include "server/core/servertypes.h"

#include <QCoreApplication>
#include <QString>

namespace mmv::ui {

/// Translated, human-readable texts for server values, shared by every part of the window.
class UiText
{
    Q_DECLARE_TR_FUNCTIONS(UiText)

public:
    static QString status(ServerState::Status status);
    /// "00:04:05", or "2 d 03:04:05" past a day; an em dash for a negative value.
    static QString uptime(qint64 seconds);
    static QString bindAddress(const QHostAddress &address);
    static QString storage(const QString &backend);
    static QString logLevel(QtMsgType type);
    /// "512 B", "1.5 KiB", "3.2 MiB" in the default locale's digits.
    static QString dataSize(qint64 bytes);
    /// Shown instead of a value that does not exist yet.
    static QString none();
};

} // namespace mmv::ui
