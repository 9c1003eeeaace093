// libFuzzer target: the Engine.IO polling payload and WebSocket frame decoders.
// Besides crashes and sanitizer reports it checks that whatever decodes re-encodes to
// something that decodes to the same packets, and the UTF-8 validator against Qt's decoder.

#include "server/engineio/enginepacket.h"

#include <QStringDecoder>

#include <cstdint>
#include <cstdlib>

using namespace mmv::engineio;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data),
                                                     static_cast<qsizetype>(size));

    const auto payload = decodePayload(input);
    if (payload) {
        const auto again = decodePayload(encodePayload(payload.value()));
        if (!again || again.value() != payload.value())
            std::abort();
    }
    if (!decodePayload(input, 3) && payload && payload.value().size() <= 3)
        std::abort();

    const auto frame = decodeTextFrame(input);
    if (frame) {
        const Packet &packet = frame.value();
        if (packet.binary) {
            if (decodeBinaryFrame(encodeWebSocketFrame(packet)) != packet)
                std::abort();
        } else if (encodeWebSocketFrame(packet) != input) {
            std::abort();
        }
    }

    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = utf8.decode(input);
    if (isValidUtf8(input) == utf8.hasError())
        std::abort();
    return 0;
}
