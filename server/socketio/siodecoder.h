#pragma once

#include "server/core/apperror.h"
#include "siopacket.h"

#include <QByteArray>

#include <optional>

namespace mmv::socketio {

/// The outcome of feeding one Engine.IO message to a Decoder: a complete packet, std::nullopt
/// while a binary packet still awaits attachments, or an error.
using DecodeResult = Result<std::optional<Packet>>;

/// Decodes the Engine.IO messages of one connection into Socket.IO packets.
///
/// Feed each text message to addText() and each binary message to addBinary(), in arrival
/// order. A binary packet (BinaryEvent/BinaryAck) comes back once its last attachment has
/// arrived, with its placeholders still in `data` (see Packet).
///
/// Validation follows socket.io-parser 4.2: a known type; for binary types an attachment
/// count "<n>-" with 1 <= n <= maxAttachments; a namespace that starts with '/' and ends at
/// ',' (valid UTF-8); an ack id of digits within qint64; JSON that parses; a payload that
/// suits the type (Connect: object or none; Disconnect: none; ConnectError: object or
/// string; Event: array whose first element is a number or a non-reserved name; Ack: array).
/// Stricter than the reference: Event, Ack and ConnectError need a payload, and every
/// placeholder of a binary packet must reference one of its attachments (in other packets
/// placeholder-shaped objects are plain data, as in socket.io-parser). Attachments arriving
/// unexpectedly, or text while attachments are awaited, are errors too.
///
/// Any error resets the decoder; the caller closes the connection.
class Decoder
{
public:
    /// The default of socket.io-parser 4.2's `maxAttachments`.
    static constexpr int DefaultMaxAttachments = 10;

    /// Accepts binary packets with at most `maxAttachments` attachments.
    explicit Decoder(int maxAttachments = DefaultMaxAttachments);

    /// Decodes one Engine.IO text message (UTF-8).
    DecodeResult addText(const QByteArray &text);

    /// Takes one Engine.IO binary message as the next attachment of the pending packet.
    DecodeResult addBinary(const QByteArray &bytes);

    /// Whether a binary packet is waiting for attachments.
    bool isAwaitingAttachments() const { return m_pending.has_value(); }

    /// How many attachments the pending packet still needs (0 when none is pending).
    qsizetype missingAttachments() const;

    /// Drops a partially received packet.
    void reset();

    int maxAttachments() const { return m_maxAttachments; }

private:
    int m_maxAttachments;
    std::optional<Packet> m_pending;
    qsizetype m_expectedAttachments = 0;
};

} // namespace mmv::socketio
