#pragma once
// Helpers shared by the dashboard's widget and model tests.

#include "server/core/realtimetypes.h"

#include <QDateTime>
#include <QStringList>
#include <QWidget>

namespace mmv::testing {

/// The child widget named `objectName`, with a warning (and nullptr) when there is none.
template<typename T>
T *child(QWidget &parent, const char *objectName)
{
    T *widget = parent.findChild<T *>(QString::fromLatin1(objectName));
    if (!widget)
        qWarning("No child named %s", objectName);
    return widget;
}

/// A packet record as the server's tap reports it.
inline EventRecord record(EventRecord::Direction direction, const QString &event,
                          const QString &socket = {}, const QStringList &rooms = {},
                          const QString &preview = QStringLiteral("{}"))
{
    EventRecord r;
    r.time = QDateTime::currentDateTimeUtc();
    r.direction = direction;
    r.type = QStringLiteral("event");
    r.event = event;
    r.socketId = socket;
    r.rooms = rooms;
    r.nsp = QStringLiteral("/");
    r.preview = preview;
    r.size = preview.size();
    return r;
}

} // namespace mmv::testing
