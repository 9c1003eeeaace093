#include "socketbuffers.h"

#include <QtCore/private/qiodevice_p.h>

#include <QTcpSocket>

namespace mmv::http {

namespace {

// Large enough that a WebSocket frame's header and a typical real-time payload share a chunk
// (QAbstractSocket writes one chunk per write notification: a split costs a second segment).
constexpr int WriteChunkSize = 1024;
constexpr int ReadChunkSize = 512;

} // namespace

void useSmallSocketBuffers(QTcpSocket *socket)
{
    // Qt 6.4 has no public setter for the chunk sizes of QIODevice's ring buffers.
    auto *d = static_cast<QIODevicePrivate *>(QObjectPrivate::get(socket));
    if (d->readBuffers.size() > 0)
        d->readBuffers[0].setChunkSize(ReadChunkSize);
    if (d->writeBuffers.size() > 0)
        d->writeBuffers[0].setChunkSize(WriteChunkSize);
    d->readBufferChunkSize = ReadChunkSize;
    d->writeBufferChunkSize = WriteChunkSize;
}

} // namespace mmv::http
