#include "server/http/multipartsink.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using mmv::http::UploadSink;

namespace {

QByteArray payload(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char((i * 131 + 7) % 256); // includes CR, LF and '-' bytes
    return data;
}

QByteArray form(const QByteArray &boundary, const QByteArray &file, const QByteArray &preamble = {})
{
    return preamble + "--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"title\"\r\n\r\nMy clip\r\n" + "--" + boundary
        + "\r\n"
        + "Content-Disposition: form-data; name=\"file\"; filename=\"holiday \\\"best\\\".mp4\"\r\n"
        + "Content-Type: video/mp4\r\n\r\n" + file + "\r\n--" + boundary + "--\r\nepilogue";
}

} // namespace

class TestUploadSink : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void multipart_data();
    void multipart();
    void raw();
    void malformed_data();
    void malformed();
    void fileRemovedUnlessTaken();
};

void TestUploadSink::multipart_data()
{
    QTest::addColumn<qsizetype>("fileSize");
    QTest::addColumn<qsizetype>("chunk");
    QTest::addColumn<QByteArray>("preamble");
    QTest::addRow("empty file, one chunk") << qsizetype(0) << qsizetype(1 << 20) << QByteArray();
    QTest::addRow("small, byte by byte") << qsizetype(3000) << qsizetype(1) << QByteArray();
    QTest::addRow("boundary-sized chunks") << qsizetype(100000) << qsizetype(43) << QByteArray();
    QTest::addRow("large, 64 KiB chunks") << qsizetype(5 << 20) << qsizetype(65536) << QByteArray();
    QTest::addRow("odd chunks with preamble")
        << qsizetype(777777) << qsizetype(9999) << QByteArray("This is a preamble.\r\n");
}

void TestUploadSink::multipart()
{
    QFETCH(qsizetype, fileSize);
    QFETCH(qsizetype, chunk);
    QFETCH(QByteArray, preamble);
    QTemporaryDir dir;
    const QByteArray boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
    const QByteArray file = payload(fileSize);
    const QByteArray body = form(boundary, file, preamble);
    auto sink = UploadSink::create("multipart/form-data; boundary=" + boundary,
                                   dir.filePath(QStringLiteral("upload")));
    QVERIFY(sink.ok());
    for (qsizetype at = 0; at < body.size(); at += chunk)
        QVERIFY(
            !sink.value()->write(QByteArrayView(body).sliced(at, qMin(chunk, body.size() - at))));
    QVERIFY(!sink.value()->finish());
    QCOMPARE(sink.value()->fileSize(), fileSize);
    QCOMPARE(sink.value()->fileName(), QStringLiteral("holiday \"best\".mp4"));
    QCOMPARE(sink.value()->partContentType(), QByteArray("video/mp4"));
    QCOMPARE(sink.value()->fields().value(QStringLiteral("title")), QStringLiteral("My clip"));
    QFile written(sink.value()->filePath());
    QVERIFY(written.open(QIODevice::ReadOnly));
    QCOMPARE(written.readAll(), file);
}

void TestUploadSink::raw()
{
    QTemporaryDir dir;
    auto sink = UploadSink::create("video/mp4", dir.filePath(QStringLiteral("raw")));
    QVERIFY(sink.ok());
    const QByteArray data = payload(123457);
    QVERIFY(!sink.value()->write(QByteArrayView(data).first(1000)));
    QVERIFY(!sink.value()->write(QByteArrayView(data).sliced(1000)));
    QVERIFY(!sink.value()->finish());
    QFile written(sink.value()->filePath());
    QVERIFY(written.open(QIODevice::ReadOnly));
    QCOMPARE(written.readAll(), data);
}

void TestUploadSink::malformed_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("mentions");
    const QByteArray b = "xyz";
    QTest::addRow("no boundary") << QByteArray("multipart/form-data") << QByteArray() << "boundary";
    QTest::addRow("no file field")
        << QByteArray("multipart/form-data; boundary=xyz")
        << QByteArray("--xyz\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nv\r\n--xyz--")
        << "'file'";
    QTest::addRow("truncated")
        << QByteArray("multipart/form-data; boundary=xyz")
        << QByteArray("--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc")
        << "closing delimiter";
    QTest::addRow("two files")
        << QByteArray("multipart/form-data; boundary=xyz")
        << QByteArray("--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\na\r\n"
                      "--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nb\r\n--xyz--")
        << "more than one";
    QTest::addRow("huge field") << QByteArray("multipart/form-data; boundary=xyz")
                                << "--xyz\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n"
            + QByteArray(70000, 'n') + "\r\n--xyz--"
                                << "too long";
    QTest::addRow("garbage after delimiter") << QByteArray("multipart/form-data; boundary=xyz")
                                             << QByteArray("--xyzGARBAGE") << "line break";
}

void TestUploadSink::malformed()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, mentions);
    QTemporaryDir dir;
    auto sink = UploadSink::create(contentType, dir.filePath(QStringLiteral("upload")));
    mmv::Status error;
    if (!sink) {
        error = sink.error();
    } else {
        error = sink.value()->write(body);
        if (!error)
            error = sink.value()->finish();
    }
    QVERIFY(error);
    QCOMPARE(error->code, mmv::ErrorCode::BadRequest);
    QVERIFY2(error->message.contains(mentions), qPrintable(error->message));
}

void TestUploadSink::fileRemovedUnlessTaken()
{
    QTemporaryDir dir;
    const QString dropped = dir.filePath(QStringLiteral("dropped"));
    const QString kept = dir.filePath(QStringLiteral("kept"));
    {
        auto sink = UploadSink::create("video/mp4", dropped);
        QVERIFY(!sink.value()->write("abc"));
        QVERIFY(QFile::exists(dropped));
    }
    QTRY_VERIFY(!QFile::exists(dropped)); // by the writer's thread
    {
        auto sink = UploadSink::create("video/mp4", kept);
        QVERIFY(!sink.value()->write("abc"));
        QVERIFY(!sink.value()->finish());
        sink.value()->take();
    }
    QVERIFY(QFile::exists(kept));
}

QTEST_APPLESS_MAIN(TestUploadSink)
#include "tst_uploadsink.moc"
