#include "server/engineio/enginepacket.h"

#include <QTest>

using namespace mmv::engineio;
namespace eio = mmv::engineio;

namespace mmv::engineio {
// Lets QCOMPARE print packets.
char *toString(const Packet &packet)
{
    QByteArray text = packetTypeName(packet.type).data();
    if (packet.binary)
        text += " binary 0x" + packet.data.toHex();
    else
        text += " \"" + packet.data + '"';
    return qstrdup(text.constData());
}
} // namespace mmv::engineio

namespace {

Packet text(PacketType type, const QByteArray &data = {})
{
    return Packet{ type, data, false };
}

Packet binary(const QByteArray &data)
{
    return Packet{ PacketType::Message, data, true };
}

QByteArray bytes(std::initializer_list<int> values)
{
    QByteArray result;
    for (int v : values)
        result.append(static_cast<char>(v));
    return result;
}

const QByteArray sep(1, RecordSeparator);

} // namespace

using PacketList = QList<Packet>;

class TestEngineIoCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void packetTypeNames();

    void encodeWebSocketFrame_data();
    void encodeWebSocketFrame();
    void encodeBinaryFrameSharesData();

    void decodeTextFrame_data();
    void decodeTextFrame();
    void decodeTextFrameReusesBuffer();
    void decodeTextFrameErrors_data();
    void decodeTextFrameErrors();
    void decodeBinaryFrame_data();
    void decodeBinaryFrame();

    void webSocketRoundTrip_data();
    void webSocketRoundTrip();

    void encodePayload_data();
    void encodePayload();
    void decodePayload_data();
    void decodePayload();
    void decodePayloadErrors_data();
    void decodePayloadErrors();
    void payloadRoundTrip_data();
    void payloadRoundTrip();
    void decodeLargePayload();

    void utf8Validation_data();
    void utf8Validation();
};

void TestEngineIoCodec::packetTypeNames()
{
    QCOMPARE(packetTypeName(PacketType::Open), QLatin1StringView("open"));
    QCOMPARE(packetTypeName(PacketType::Message), QLatin1StringView("message"));
    QCOMPARE(packetTypeName(PacketType::Noop), QLatin1StringView("noop"));
}

void TestEngineIoCodec::encodeWebSocketFrame_data()
{
    QTest::addColumn<Packet>("packet");
    QTest::addColumn<QByteArray>("frame");

    const QByteArray handshake
        = R"({"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],)"
          R"("pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})";
    QTest::addRow("open") << text(PacketType::Open, handshake) << QByteArray("0" + handshake);
    QTest::addRow("close") << text(PacketType::Close) << QByteArray("1");
    QTest::addRow("ping") << text(PacketType::Ping) << QByteArray("2");
    QTest::addRow("ping probe") << text(PacketType::Ping, "probe") << QByteArray("2probe");
    QTest::addRow("pong probe") << text(PacketType::Pong, "probe") << QByteArray("3probe");
    QTest::addRow("message") << text(PacketType::Message, "hello") << QByteArray("4hello");
    QTest::addRow("empty message") << text(PacketType::Message) << QByteArray("4");
    QTest::addRow("utf-8 message") << text(PacketType::Message, "€ü😀") << QByteArray("4€ü😀");
    QTest::addRow("socket.io event")
        << text(PacketType::Message, R"(2["ev",1])") << QByteArray(R"(42["ev",1])");
    QTest::addRow("upgrade") << text(PacketType::Upgrade) << QByteArray("5");
    QTest::addRow("noop") << text(PacketType::Noop) << QByteArray("6");
    QTest::addRow("binary") << binary(bytes({ 1, 2, 3 })) << bytes({ 1, 2, 3 });
    QTest::addRow("binary starting with digit") << binary("4abc") << QByteArray("4abc");
    QTest::addRow("empty binary") << binary({}) << QByteArray();
}

void TestEngineIoCodec::encodeWebSocketFrame()
{
    QFETCH(Packet, packet);
    QFETCH(QByteArray, frame);
    QCOMPARE(eio::encodeWebSocketFrame(packet), frame);
}

void TestEngineIoCodec::encodeBinaryFrameSharesData()
{
    const Packet packet = binary(QByteArray(4096, 'x'));
    const QByteArray frame = eio::encodeWebSocketFrame(packet);
    QCOMPARE(frame.constData(), packet.data.constData());
}

void TestEngineIoCodec::decodeTextFrame_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<Packet>("packet");

    QTest::addRow("open") << QByteArray(R"(0{"sid":"abc"})")
                          << text(PacketType::Open, R"({"sid":"abc"})");
    QTest::addRow("close") << QByteArray("1") << text(PacketType::Close);
    QTest::addRow("ping") << QByteArray("2") << text(PacketType::Ping);
    QTest::addRow("ping probe") << QByteArray("2probe") << text(PacketType::Ping, "probe");
    QTest::addRow("pong") << QByteArray("3") << text(PacketType::Pong);
    QTest::addRow("pong probe") << QByteArray("3probe") << text(PacketType::Pong, "probe");
    QTest::addRow("message") << QByteArray("4hello") << text(PacketType::Message, "hello");
    QTest::addRow("empty message") << QByteArray("4") << text(PacketType::Message);
    QTest::addRow("utf-8 message") << QByteArray("4€ü😀") << text(PacketType::Message, "€ü😀");
    QTest::addRow("separator inside frame")
        << QByteArray("4a" + sep + "b") << text(PacketType::Message, "a" + sep + "b");
    QTest::addRow("upgrade") << QByteArray("5") << text(PacketType::Upgrade);
    QTest::addRow("noop") << QByteArray("6") << text(PacketType::Noop);
    QTest::addRow("base64 binary") << QByteArray("bAQID") << binary(bytes({ 1, 2, 3 }));
    QTest::addRow("base64 padded") << QByteArray("bAQI=") << binary(bytes({ 1, 2 }));
    QTest::addRow("base64 empty") << QByteArray("b") << binary({});
}

void TestEngineIoCodec::decodeTextFrame()
{
    QFETCH(QByteArray, frame);
    QFETCH(Packet, packet);
    const auto result = eio::decodeTextFrame(frame);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result.value(), packet);
}

void TestEngineIoCodec::decodeTextFrameReusesBuffer()
{
    QByteArray frame = "4" + QByteArray(100000, 'x');
    const char *raw = frame.constData();
    const auto result = eio::decodeTextFrame(std::move(frame));
    QVERIFY(result.ok());
    QCOMPARE(result.value().data.size(), 100000);
    QCOMPARE(result.value().data.constData(), raw + 1);
}

void TestEngineIoCodec::decodeTextFrameErrors_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("error");

    QTest::addRow("empty") << QByteArray() << "empty packet";
    QTest::addRow("type 7") << QByteArray("7") << "unknown packet type '7'";
    QTest::addRow("type 9 with data") << QByteArray("9hello") << "unknown packet type";
    QTest::addRow("letter") << QByteArray("message") << "unknown packet type 'm'";
    QTest::addRow("uppercase B") << QByteArray("BAQID") << "unknown packet type";
    QTest::addRow("space") << QByteArray(" 4") << "unknown packet type";
    QTest::addRow("separator") << sep << "unknown packet type 0x1e";
    QTest::addRow("nul") << QByteArray(1, '\0') << "unknown packet type 0x00";
    QTest::addRow("high byte") << bytes({ 0xff }) << "unknown packet type 0xff";
    QTest::addRow("lone continuation byte")
        << QByteArray("4a" + bytes({ 0x80 })) << "invalid UTF-8";
    QTest::addRow("truncated sequence")
        << QByteArray("4" + bytes({ 0xe2, 0x82 })) << "invalid UTF-8";
    QTest::addRow("overlong slash") << QByteArray("4" + bytes({ 0xc0, 0xaf })) << "invalid UTF-8";
    QTest::addRow("surrogate") << QByteArray("4" + bytes({ 0xed, 0xa0, 0x80 })) << "invalid UTF-8";
    QTest::addRow("above U+10FFFF")
        << QByteArray("4" + bytes({ 0xf4, 0x90, 0x80, 0x80 })) << "invalid UTF-8";
    QTest::addRow("invalid base64 char") << QByteArray("bAQ!D") << "invalid base64";
    QTest::addRow("base64 single trailing char") << QByteArray("bAQIDA") << "invalid base64";
    QTest::addRow("base64 excess padding") << QByteArray("bAQ===") << "invalid base64";
    QTest::addRow("base64 whitespace") << QByteArray("bAQ ID") << "invalid base64";
    QTest::addRow("base64url alphabet") << QByteArray("b-_8=") << "invalid base64";
    QTest::addRow("base64 padding inside") << QByteArray("bAQ==AQID") << "invalid base64";
}

void TestEngineIoCodec::decodeTextFrameErrors()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, error);
    const auto result = eio::decodeTextFrame(frame);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message.contains(error), qPrintable(result.error().message));
    QCOMPARE(result.error().code, mmv::ErrorCode::BadRequest);
}

void TestEngineIoCodec::decodeBinaryFrame_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addRow("bytes") << bytes({ 0, 1, 0xff });
    QTest::addRow("looks like text") << QByteArray("4hello");
    QTest::addRow("empty") << QByteArray();
}

void TestEngineIoCodec::decodeBinaryFrame()
{
    QFETCH(QByteArray, frame);
    QCOMPARE(eio::decodeBinaryFrame(frame), binary(frame));
}

void TestEngineIoCodec::webSocketRoundTrip_data()
{
    QTest::addColumn<Packet>("packet");
    for (int t = 0; t <= 6; ++t) {
        const auto type = static_cast<PacketType>(t);
        QTest::addRow("%s empty", packetTypeName(type).data()) << text(type);
        QTest::addRow("%s data", packetTypeName(type).data()) << text(type, "dätä 42");
    }
    QTest::addRow("binary") << binary(bytes({ 0, 0x1e, 0xff, 'b' }));
    QTest::addRow("binary 1 MB") << binary(QByteArray(1 << 20, '\x80'));
}

void TestEngineIoCodec::webSocketRoundTrip()
{
    QFETCH(Packet, packet);
    const QByteArray frame = eio::encodeWebSocketFrame(packet);
    if (packet.binary) {
        QCOMPARE(eio::decodeBinaryFrame(frame), packet);
    } else {
        const auto result = eio::decodeTextFrame(frame);
        QVERIFY(result.ok());
        QCOMPARE(result.value(), packet);
    }
}

void TestEngineIoCodec::encodePayload_data()
{
    QTest::addColumn<PacketList>("packets");
    QTest::addColumn<QByteArray>("body");

    QTest::addRow("none") << PacketList{} << QByteArray();
    QTest::addRow("one message") << PacketList{ text(PacketType::Message, "hello") }
                                 << QByteArray("4hello");
    QTest::addRow("protocol example")
        << PacketList{ text(PacketType::Message, "hello"), text(PacketType::Message, "€"),
                       binary(bytes({ 1, 2, 3, 4 })) }
        << QByteArray("4hello" + sep + "4€" + sep + "bAQIDBA==");
    QTest::addRow("ping and noop") << PacketList{ text(PacketType::Ping), text(PacketType::Noop) }
                                   << QByteArray("2" + sep + "6");
    QTest::addRow("empty binary") << PacketList{ binary({}) } << QByteArray("b");
    QTest::addRow("binary padding 1") << PacketList{ binary("ab") } << QByteArray("bYWI=");
    QTest::addRow("binary no padding") << PacketList{ binary("abc") } << QByteArray("bYWJj");
    QTest::addRow("empty messages")
        << PacketList{ text(PacketType::Message), text(PacketType::Message) }
        << QByteArray("4" + sep + "4");
}

void TestEngineIoCodec::encodePayload()
{
    QFETCH(PacketList, packets);
    QFETCH(QByteArray, body);
    QCOMPARE(eio::encodePayload(packets), body);
}

void TestEngineIoCodec::decodePayload_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qsizetype>("maxPackets");
    QTest::addColumn<PacketList>("packets");

    QTest::addRow("one message") << QByteArray("4hello") << NoPacketLimit
                                 << PacketList{ text(PacketType::Message, "hello") };
    QTest::addRow("protocol example")
        << QByteArray("4hello" + sep + "4€" + sep + "bAQIDBA==") << NoPacketLimit
        << PacketList{ text(PacketType::Message, "hello"), text(PacketType::Message, "€"),
                       binary(bytes({ 1, 2, 3, 4 })) };
    QTest::addRow("all types") << QByteArray("0" + sep + "1" + sep + "2" + sep + "3probe" + sep
                                             + "4" + sep + "5" + sep + "6")
                               << NoPacketLimit << PacketList{ text(PacketType::Open),
                                                               text(PacketType::Close),
                                                               text(PacketType::Ping),
                                                               text(PacketType::Pong, "probe"),
                                                               text(PacketType::Message),
                                                               text(PacketType::Upgrade),
                                                               text(PacketType::Noop) };
    QTest::addRow("unpadded base64")
        << QByteArray("bAQI") << NoPacketLimit << PacketList{ binary(bytes({ 1, 2 })) };
    QTest::addRow("empty binary") << QByteArray("b") << NoPacketLimit << PacketList{ binary({}) };
    QTest::addRow("exactly at the limit")
        << QByteArray("4a" + sep + "4b") << qsizetype(2)
        << PacketList{ text(PacketType::Message, "a"), text(PacketType::Message, "b") };
    QTest::addRow("socket.io packets")
        << QByteArray(QByteArray(R"(42["chat","hi"])") + sep
                      + R"(451-["up",{"_placeholder":true,"num":0}])" + sep + "bAAE=")
        << NoPacketLimit
        << PacketList{ text(PacketType::Message, R"(2["chat","hi"])"),
                       text(PacketType::Message, R"(51-["up",{"_placeholder":true,"num":0}])"),
                       binary(bytes({ 0, 1 })) };
}

void TestEngineIoCodec::decodePayload()
{
    QFETCH(QByteArray, body);
    QFETCH(qsizetype, maxPackets);
    QFETCH(PacketList, packets);
    const auto result = eio::decodePayload(body, maxPackets);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result.value(), packets);
}

void TestEngineIoCodec::decodePayloadErrors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qsizetype>("maxPackets");
    QTest::addColumn<QString>("error");
    QTest::addColumn<mmv::ErrorCode>("code");

    const auto bad = mmv::ErrorCode::BadRequest;
    QTest::addRow("empty body") << QByteArray() << NoPacketLimit << "empty payload" << bad;
    QTest::addRow("only a separator") << sep << NoPacketLimit << "empty packet (record 0)" << bad;
    QTest::addRow("leading separator")
        << QByteArray(sep + "4a") << NoPacketLimit << "empty packet (record 0)" << bad;
    QTest::addRow("trailing separator")
        << QByteArray("4a" + sep) << NoPacketLimit << "empty packet (record 1)" << bad;
    QTest::addRow("double separator")
        << QByteArray("4a" + sep + sep + "4b") << NoPacketLimit << "empty packet (record 1)" << bad;
    QTest::addRow("unknown type") << QByteArray("4a" + sep + "8b") << NoPacketLimit
                                  << "unknown packet type '8' (record 1)" << bad;
    QTest::addRow("unknown type first")
        << QByteArray("x") << NoPacketLimit << "unknown packet type 'x' (record 0)" << bad;
    QTest::addRow("invalid base64") << QByteArray("4a" + sep + "b!!!!") << NoPacketLimit
                                    << "invalid base64 in binary packet (record 1)" << bad;
    QTest::addRow("truncated base64")
        << QByteArray("bAQIDB") << NoPacketLimit << "invalid base64" << bad;
    QTest::addRow("base64 missing one padding char")
        << QByteArray("bAQ=") << NoPacketLimit << "invalid base64" << bad;
    QTest::addRow("base64 with separator-split padding")
        << QByteArray("bAQ==" + sep + "=") << NoPacketLimit << "unknown packet type '=' (record 1)"
        << bad;
    QTest::addRow("invalid utf-8")
        << QByteArray("4a" + sep + "4" + bytes({ 0xc3 })) << NoPacketLimit
        << "invalid UTF-8 in text packet (record 1)" << bad;
    QTest::addRow("overlong nul") << QByteArray("4" + bytes({ 0xc0, 0x80 })) << NoPacketLimit
                                  << "invalid UTF-8" << bad;
    QTest::addRow("too many packets") << QByteArray("4a" + sep + "4b" + sep + "4c") << qsizetype(2)
                                      << "more than 2 packets" << mmv::ErrorCode::PayloadTooLarge;
    QTest::addRow("limit zero") << QByteArray("4a") << qsizetype(0) << "more than 0 packets"
                                << mmv::ErrorCode::PayloadTooLarge;
}

void TestEngineIoCodec::decodePayloadErrors()
{
    QFETCH(QByteArray, body);
    QFETCH(qsizetype, maxPackets);
    QFETCH(QString, error);
    QFETCH(mmv::ErrorCode, code);
    const auto result = eio::decodePayload(body, maxPackets);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message.contains(error), qPrintable(result.error().message));
    QCOMPARE(result.error().code, code);
}

void TestEngineIoCodec::payloadRoundTrip_data()
{
    QTest::addColumn<PacketList>("packets");
    PacketList all;
    for (int t = 0; t <= 6; ++t)
        all.append(text(static_cast<PacketType>(t), "x"));
    QTest::addRow("every type") << all;
    QTest::addRow("mixed binary") << PacketList{ binary(bytes({ 0x1e, 0, 'b' })),
                                                 text(PacketType::Message, "€"), binary({}),
                                                 binary(QByteArray(1000, '\xff')) };
    PacketList many;
    for (int i = 0; i < 1000; ++i)
        many.append(i % 3 ? text(PacketType::Message, QByteArray::number(i))
                          : binary(QByteArray::number(i)));
    QTest::addRow("1000 packets") << many;
}

void TestEngineIoCodec::payloadRoundTrip()
{
    QFETCH(PacketList, packets);
    const auto result = eio::decodePayload(eio::encodePayload(packets));
    QVERIFY(result.ok());
    QCOMPARE(result.value(), packets);
}

void TestEngineIoCodec::decodeLargePayload()
{
    // 200,000 records and a 10 MB record: must stay fast (linear) and exact.
    QByteArray body;
    for (int i = 0; i < 200000; ++i)
        body += (i ? sep : QByteArray()) + "4" + QByteArray::number(i);
    body += sep + "4" + QByteArray(10 << 20, 'y');
    const auto result = eio::decodePayload(body);
    QVERIFY(result.ok());
    QCOMPARE(result.value().size(), 200001);
    QCOMPARE(result.value().at(199999).data, QByteArray("199999"));
    QCOMPARE(result.value().last().data.size(), 10 << 20);

    // A limit stops at the first record over it, whatever follows.
    const auto limited = eio::decodePayload(body, 10);
    QVERIFY(!limited.ok());
    QCOMPARE(limited.error().code, mmv::ErrorCode::PayloadTooLarge);

    // A body of separators fails at once on its first (empty) record.
    const auto separators = eio::decodePayload(QByteArray(1 << 20, RecordSeparator));
    QVERIFY(!separators.ok());
    QVERIFY(separators.error().message.contains("record 0"));
}

void TestEngineIoCodec::utf8Validation_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("valid");

    QTest::addRow("empty") << QByteArray() << true;
    QTest::addRow("ascii") << QByteArray("hello, world") << true;
    QTest::addRow("2-byte") << QByteArray("ü") << true;
    QTest::addRow("3-byte") << QByteArray("€") << true;
    QTest::addRow("4-byte") << QByteArray("😀") << true;
    QTest::addRow("U+0080") << bytes({ 0xc2, 0x80 }) << true;
    QTest::addRow("U+07FF") << bytes({ 0xdf, 0xbf }) << true;
    QTest::addRow("U+0800") << bytes({ 0xe0, 0xa0, 0x80 }) << true;
    QTest::addRow("U+D7FF") << bytes({ 0xed, 0x9f, 0xbf }) << true;
    QTest::addRow("U+E000") << bytes({ 0xee, 0x80, 0x80 }) << true;
    QTest::addRow("U+FFFF") << bytes({ 0xef, 0xbf, 0xbf }) << true;
    QTest::addRow("U+10000") << bytes({ 0xf0, 0x90, 0x80, 0x80 }) << true;
    QTest::addRow("U+10FFFF") << bytes({ 0xf4, 0x8f, 0xbf, 0xbf }) << true;
    QTest::addRow("nul") << QByteArray(3, '\0') << true;
    QTest::addRow("long ascii then 4-byte") << QByteArray(QByteArray(17, 'a') + "😀") << true;

    QTest::addRow("0x80 alone") << bytes({ 0x80 }) << false;
    QTest::addRow("0xff") << bytes({ 0xff }) << false;
    QTest::addRow("0xc0 overlong") << bytes({ 0xc0, 0x80 }) << false;
    QTest::addRow("0xc1 overlong") << bytes({ 0xc1, 0xbf }) << false;
    QTest::addRow("3-byte overlong") << bytes({ 0xe0, 0x9f, 0xbf }) << false;
    QTest::addRow("4-byte overlong") << bytes({ 0xf0, 0x8f, 0xbf, 0xbf }) << false;
    QTest::addRow("high surrogate") << bytes({ 0xed, 0xa0, 0x80 }) << false;
    QTest::addRow("low surrogate") << bytes({ 0xed, 0xbf, 0xbf }) << false;
    QTest::addRow("U+110000") << bytes({ 0xf4, 0x90, 0x80, 0x80 }) << false;
    QTest::addRow("0xf5 lead") << bytes({ 0xf5, 0x80, 0x80, 0x80 }) << false;
    QTest::addRow("truncated 2-byte") << bytes({ 0xc3 }) << false;
    QTest::addRow("truncated 4-byte") << bytes({ 0xf0, 0x9f, 0x98 }) << false;
    QTest::addRow("bad continuation") << bytes({ 0xe2, 0x82, 0x41 }) << false;
    QTest::addRow("invalid after 9 ascii")
        << QByteArray(QByteArray(9, 'a') + bytes({ 0xff })) << false;
    QTest::addRow("invalid after 16 ascii")
        << QByteArray(QByteArray(16, 'a') + bytes({ 0x80 }) + "abc") << false;
}

void TestEngineIoCodec::utf8Validation()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, valid);
    QCOMPARE(isValidUtf8(input), valid);
}

QTEST_APPLESS_MAIN(TestEngineIoCodec)
#include "tst_engineiocodec.moc"
