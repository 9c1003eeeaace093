#pragma once

class QTcpSocket;

namespace mmv::http {

/// Gives an accepted socket small read and write buffers. A QTcpSocket keeps one 32 KiB write
/// chunk and one 16 KiB read chunk for its lifetime after first use; with ten thousand idle
/// WebSockets that is most of the server's memory (a page or two of each chunk is touched,
/// so resident). Here what a socket keeps between uses is at most ChunkSize per direction;
/// a larger write gets a chunk of its own that is freed once sent.
void useSmallSocketBuffers(QTcpSocket *socket);

} // namespace mmv::http
