// libFuzzer target: the Socket.IO decoder fed a sequence of text and binary messages.
// Besides crashes and sanitizer reports it checks the decoder's state rules and that every
// decoded packet survives encode() and a second decode unchanged.
//
// Input format, kept readable so that seeds can be written by hand: the first byte sets
// maxAttachments (byte % 13); the rest are messages separated by 0x1f, each starting with
// 't' for a text message or any other byte for a binary one.

#include "server/socketio/siodecoder.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

using namespace mmv::socketio;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

void checkRoundTrip(const Packet &packet, int maxAttachments)
{
    const EncodedPacket encoded = encode(packet);
    Decoder decoder(maxAttachments);
    auto result = decoder.addText(encoded.text);
    for (const QByteArray &attachment : encoded.attachments) {
        check(result.ok() && !result.value());
        result = decoder.addBinary(attachment);
    }
    check(result.ok() && result.value() && *result.value() == packet);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const int maxAttachments = data[0] % 13;
    Decoder decoder(maxAttachments);

    const char *p = reinterpret_cast<const char *>(data) + 1;
    const char *const end = reinterpret_cast<const char *>(data) + size;
    while (p < end) {
        const auto *separator = static_cast<const char *>(std::memchr(p, 0x1f, end - p));
        const char *messageEnd = separator ? separator : end;
        // An empty record is an empty binary message.
        const bool binary = p == messageEnd || *p != 't';
        // A copy, not fromRawData: the decoder may keep attachments beyond this call.
        const QByteArray message = p == messageEnd
            ? QByteArray()
            : QByteArray(p + 1, static_cast<qsizetype>(messageEnd - p - 1));
        p = separator ? separator + 1 : end;

        const qsizetype missingBefore = decoder.missingAttachments();
        const auto result = binary ? decoder.addBinary(message) : decoder.addText(message);
        if (!result) {
            check(!decoder.isAwaitingAttachments());
            check(result.error().message.startsWith(QLatin1StringView("socket.io: ")));
            continue;
        }
        check(!binary || missingBefore > 0);
        if (!result.value())
            continue;
        const Packet &packet = *result.value();
        check(!decoder.isAwaitingAttachments());
        check(packet.attachments.size() <= maxAttachments);
        if (isEvent(packet))
            check(arguments(packet).has_value() && !eventName(packet).isNull());
        if (isAck(packet))
            check(arguments(packet).has_value());
        checkRoundTrip(packet, maxAttachments);
    }
    return 0;
}
