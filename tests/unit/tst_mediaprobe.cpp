// Probing real media: the sample videos Debian ships (opencv-doc, python3-imageio) and files
// the test makes with ffmpeg, plus files that are not videos at all.

#include "server/analysis/mediaprobe.h"

#include "ffmpegclips.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using mmv::analysis::probeMedia;

namespace {
const QString OpenCvData = QStringLiteral("/usr/share/doc/opencv-doc/examples/data/");
const QString Cockatoo
    = QStringLiteral("/usr/lib/python3/dist-packages/imageio/resources/images/cockatoo.mp4");
} // namespace

class TestMediaProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void realVideos_data();
    void realVideos();
    void rejected_data();
    void rejected();

private:
    QString make(const QString &name, const QStringList &ffmpegArguments);
    QTemporaryDir m_dir;
};

void TestMediaProbe::initTestCase()
{
    QVERIFY2(QFile::exists(OpenCvData + QStringLiteral("vtest.avi")),
             "install opencv-doc (scripts/setup.sh)");
    QVERIFY2(QFile::exists(Cockatoo), "install python3-imageio (scripts/setup.sh)");
    QVERIFY(m_dir.isValid());
}

QString TestMediaProbe::make(const QString &name, const QStringList &ffmpegArguments)
{
    const QString path = m_dir.filePath(name);
    if (QFile::exists(path))
        return path;
    QString error;
    if (!mmv::testing::runFfmpeg(ffmpegArguments + QStringList{ path }, &error))
        qWarning() << error;
    return path;
}

void TestMediaProbe::realVideos_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<double>("minDuration");
    QTest::addColumn<bool>("hasAudio");

    QTest::addRow("vtest.avi") << OpenCvData + QStringLiteral("vtest.avi") << 768 << 576 << 70.0
                               << false;
    QTest::addRow("Megamind.avi") << OpenCvData + QStringLiteral("Megamind.avi") << 720 << 528
                                  << 10.0 << true;
    QTest::addRow("cockatoo.mp4") << Cockatoo << 1280 << 720 << 10.0 << true;
    QTest::addRow("made with audio")
        << make(QStringLiteral("with-audio.mkv"),
                { QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                  QStringLiteral("testsrc=size=320x240:rate=25:duration=2"), QStringLiteral("-f"),
                  QStringLiteral("lavfi"), QStringLiteral("-i"), QStringLiteral("sine=duration=2"),
                  QStringLiteral("-c:v"), QStringLiteral("mpeg4"), QStringLiteral("-c:a"),
                  QStringLiteral("flac") })
        << 320 << 240 << 1.9 << true;
    // Streams of pictures through the image demuxers: a camera's MJPEG, concatenated PNGs.
    QTest::addRow("mjpeg stream") << make(
        QStringLiteral("camera.mjpeg"),
        { QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
          QStringLiteral("testsrc=size=160x120:rate=10:duration=2"), QStringLiteral("-f"),
          QStringLiteral("mjpeg") })
                                  << 160 << 120 << 0.0 << false;
    QTest::addRow("mjpeg stream as an upload")
        << make(QStringLiteral("upload-0123456789abcdef.part"),
                { QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                  QStringLiteral("testsrc=size=160x120:rate=10:duration=2"), QStringLiteral("-f"),
                  QStringLiteral("mjpeg") })
        << 160 << 120 << 0.0 << false;
    QTest::addRow("animated gif") << make(
        QStringLiteral("animated.gif"),
        { QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
          QStringLiteral("testsrc=size=160x120:rate=10:duration=2") })
                                  << 160 << 120 << 1.9 << false;
}

void TestMediaProbe::realVideos()
{
    QFETCH(QString, path);
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(double, minDuration);
    QFETCH(bool, hasAudio);
    const auto info = probeMedia(path);
    QVERIFY2(info.ok(), info.ok() ? "" : qPrintable(info.error().message));
    QCOMPARE(info.value().width, width);
    QCOMPARE(info.value().height, height);
    QVERIFY2(info.value().durationSeconds >= minDuration,
             qPrintable(QString::number(info.value().durationSeconds)));
    QVERIFY(info.value().fps > 1 && info.value().fps < 121);
    QVERIFY(!info.value().codec.isEmpty());
    QCOMPARE(info.value().hasAudio, hasAudio);
    QCOMPARE(info.value().size, QFileInfo(path).size());
}

void TestMediaProbe::rejected_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("reason");

    const QString text = m_dir.filePath(QStringLiteral("notes.mp4"));
    {
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("These are my notes, not a video.\n");
    }
    QTest::addRow("text renamed .mp4") << text << "not a video file";

    const QString empty = m_dir.filePath(QStringLiteral("empty.mp4"));
    QFile(empty).open(QIODevice::WriteOnly);
    QTest::addRow("empty") << empty << "not a video file";

    const QString truncated = m_dir.filePath(QStringLiteral("truncated.mp4"));
    {
        QFile source(Cockatoo);
        QVERIFY(source.open(QIODevice::ReadOnly));
        QFile f(truncated);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(source.read(3000));
    }
    QTest::addRow("truncated mp4") << truncated << "truncated or corrupt file";

    QTest::addRow("audio only") << make(QStringLiteral("tone.wav"),
                                        { QStringLiteral("-f"), QStringLiteral("lavfi"),
                                          QStringLiteral("-i"), QStringLiteral("sine=duration=1") })
                                << "no video stream";

    QTest::addRow("gif of one picture")
        << make(QStringLiteral("still.gif"),
                { QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                  QStringLiteral("testsrc=size=160x120:rate=1"), QStringLiteral("-frames:v"),
                  QStringLiteral("1") })
        << "not a video file: a still image (gif)";

    // Photos: a PNG, and a JPEG named like a video.
    for (const QString &name : { QStringLiteral("photo.png"), QStringLiteral("photo.jpg") }) {
        const QString photo
            = make(name,
                   { QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                     QStringLiteral("testsrc=size=320x240:rate=1"), QStringLiteral("-frames:v"),
                     QStringLiteral("1") });
        const QString renamed = m_dir.filePath(name + QStringLiteral(".mp4"));
        QVERIFY(QFile::copy(photo, renamed));
        QTest::addRow("%s", qPrintable(name)) << photo << "not a video file: a still image";
        QTest::addRow("%s renamed .mp4", qPrintable(name))
            << renamed << "not a video file: a still image";
    }
}

void TestMediaProbe::rejected()
{
    QFETCH(QString, path);
    QFETCH(QString, reason);
    const auto info = probeMedia(path);
    QVERIFY(!info.ok());
    QCOMPARE(info.error().code, mmv::ErrorCode::UnsupportedMediaType);
    QVERIFY2(info.error().message.startsWith(reason), qPrintable(info.error().message));
}

QTEST_GUILESS_MAIN(TestMediaProbe)
#include "tst_mediaprobe.moc"
