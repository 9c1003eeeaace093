#include "processinfo.h"

#include <QByteArray>
#include <QFile>
#include <QList>

#include <pthread.h>

namespace mmv {

qint64 residentMemoryKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

void setCurrentThreadName(const char *name)
{
    char truncated[16] = {};
    qstrncpy(truncated, name, sizeof truncated);
    pthread_setname_np(pthread_self(), truncated);
}

} // namespace mmv
