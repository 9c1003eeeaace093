// FrameSource on clips built with the ffmpeg CLI and on opencv-doc's samples. For codecs that
// have no decoding threads of their own it decodes the stretches between keyframes side by
// side ("segment decoding"): the frames, their numbers and times, and the audio must be
// exactly what one decoder gives in one pass; a damaged file must fail the same way; and
// stopping half-way must never hang, whatever the decoders are waiting for.

#include "server/analysis/framesource.h"
#include "server/analysis/jpegwriter.h"

#include "ffmpegclips.h"
#include "nothreads.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <optional>

using namespace mmv;
using namespace mmv::analysis;
using namespace mmv::testing;

namespace {

const QString OpenCvData = QStringLiteral("/usr/share/doc/opencv-doc/examples/data/");

/// Everything a pass over a file gave.
struct Decoded
{
    int segmentDecoders = -1;
    qint64 segments = 0;
    QList<qint64> indices;
    QList<double> times;
    QList<QByteArray> frames; ///< MD5 of the analysis frame and of the picture scaled
    qint64 audioSamples = 0;
    QByteArray audio; ///< MD5 of the samples
    std::optional<AppError> error;
};

/// Decodes the whole file. Segments end at every keyframe unless `firstSegmentBytes` says
/// otherwise (the clips here are short).
Decoded decodeAll(const QString &path, int decoderThreads, qint64 firstSegmentBytes = 0)
{
    Decoded decoded;
    FrameSource source;
    FrameSourceOptions options;
    options.decoderThreads = decoderThreads;
    options.firstSegmentBytes = firstSegmentBytes;
    if (const Status status = source.open(path, options)) {
        decoded.error = *status;
        return decoded;
    }
    decoded.segmentDecoders = source.segmentDecoders();
    QCryptographicHash audio(QCryptographicHash::Md5);
    for (;;) {
        const Result<FrameSource::Event> event = source.next();
        if (!event) {
            decoded.error = event.error();
            break;
        }
        if (event.value() == FrameSource::Event::End)
            break;
        if (event.value() == FrameSource::Event::Audio) {
            const std::vector<float> &samples = source.audioSamples();
            decoded.audioSamples += qint64(samples.size());
            audio.addData(QByteArrayView(reinterpret_cast<const char *>(samples.data()),
                                         qsizetype(samples.size() * sizeof(float))));
            continue;
        }
        decoded.indices.append(source.frameIndex());
        decoded.times.append(source.frameTime());
        QCryptographicHash frame(QCryptographicHash::Md5);
        const FrameView view = source.analysisFrame();
        for (int y = 0; y < view.height; ++y) {
            frame.addData(QByteArrayView(
                reinterpret_cast<const char *>(view.data + qsizetype(y) * view.stride),
                view.width * 3));
        }
        Yuv420Image picture;
        if (source.picture().toYuv420(96, picture)) {
            frame.addData(QByteArrayView(reinterpret_cast<const char *>(picture.pixels.data()),
                                         qsizetype(picture.pixels.size())));
        }
        decoded.frames.append(frame.result());
    }
    decoded.audio = audio.result();
    decoded.segments = source.segments();
    return decoded;
}

/// Visits the video tags of an FLV file: `visit(frameType, data, size)`, frameType 1 for a
/// keyframe and 2 for an inter frame (the upper half of the tag's first byte), data past it.
template<typename Visit>
bool forEachFlvVideoTag(QByteArray &bytes, Visit visit)
{
    qsizetype at = 13; // header and the first "previous tag size"
    while (at + 11 < bytes.size()) {
        const auto byte = [&](qsizetype i) { return quint8(bytes.at(i)); };
        const qsizetype size = (byte(at + 1) << 16) | (byte(at + 2) << 8) | byte(at + 3);
        if (at + 11 + size > bytes.size())
            return false;
        if (byte(at) == 9 && size > 1) {
            char &flags = bytes[at + 11];
            visit(flags, bytes.data() + at + 12, size - 1);
        }
        at += 11 + size + 4;
    }
    return true;
}

bool rewrite(const QString &from, const QString &to, const std::function<bool(QByteArray &)> &edit)
{
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly))
        return false;
    QByteArray bytes = in.readAll();
    QFile out(to);
    return edit(bytes) && out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size();
}

} // namespace

class TestFrameSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void segmentsDecodeLikeOnePass_data();
    void segmentsDecodeLikeOnePass();
    void misleadingKeyframes_data();
    void misleadingKeyframes();
    void truncatedSegmentsFail();
    void shortVideosStayWhole_data();
    void shortVideosStayWhole();
    void holdsAheadOnlyWhenItPays();
    void stopsHalfway_data();
    void stopsHalfway();
    void outOfThreads_data();
    void outOfThreads();

private:
    QString clip(const QString &name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
};

void TestFrameSource::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(OpenCvData + "vtest.avi"), "install opencv-doc (scripts/setup.sh)");
    const QStringList pictures{ "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=4" };
    const QStringList sound{ "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050:d=4" };
    struct Build
    {
        QString name;
        QStringList arguments;
    } builds[] = {
        // DivX 3 with a keyframe every 10 frames and PCM sound.
        { "msmpeg4.avi",
          pictures + sound
              + QStringList{ "-c:v", "msmpeg4", "-g", "10", "-q:v", "4", "-c:a", "pcm_s16le" } },
        { "wmv2.wmv", pictures + QStringList{ "-c:v", "wmv2", "-g", "12", "-q:v", "4" } },
        { "flv1.flv", pictures + QStringList{ "-c:v", "flv1", "-g", "25", "-q:v", "4" } },
        // Every frame a keyframe, large enough pictures that the decoders fill their share of
        // memory and wait for the analysis (200 frames of 1280x720).
        { "mjpeg.avi",
          QStringList{ "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=25:d=8", "-c:v", "mjpeg", "-q:v",
                       "8" } },
        // Long segments of large pictures: two keyframes in 200 frames of 1280x720.
        { "longgop.avi",
          QStringList{ "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=25:d=8", "-c:v", "msmpeg4", "-g",
                       "100", "-q:v", "8" } },
        // A palette (smc: 8 bits a pixel), in a packet's side data: one decoder.
        { "smc.mov", pictures + QStringList{ "-pix_fmt", "pal8", "-c:v", "smc", "-g", "10" } },
        // Decoded with FFmpeg's own frame threads: no segments.
        { "mpeg2.mpg", pictures + QStringList{ "-c:v", "mpeg2video", "-g", "10", "-q:v", "4" } },
    };
    for (const Build &build : builds) {
        QString error;
        QVERIFY2(runFfmpeg(build.arguments + QStringList{ clip(build.name) }, &error),
                 qPrintable(error));
    }
    QVERIFY(copyTruncated(clip("msmpeg4.avi"), clip("truncated.avi"), 0.5));
    // flv1 with a keyframe every 25 frames: every fourth inter frame flagged as a keyframe...
    QVERIFY(rewrite(clip("flv1.flv"), clip("flaglies.flv"), [](QByteArray &bytes) {
        int inter = 0;
        return forEachFlvVideoTag(bytes, [&](char &flags, char *, qsizetype) {
            if ((quint8(flags) >> 4) == 2 && inter++ % 4 == 2)
                flags = char((1 << 4) | (flags & 0x0f));
        });
    }));
    // ... and every keyframe after the first damaged in its second half.
    QVERIFY(rewrite(clip("flv1.flv"), clip("damagedkeys.flv"), [](QByteArray &bytes) {
        int keys = 0;
        return forEachFlvVideoTag(bytes, [&](char &flags, char *data, qsizetype size) {
            if ((quint8(flags) >> 4) == 1 && keys++ > 0) {
                for (qsizetype i = size / 2; i < size / 2 + 64 && i < size; ++i)
                    data[i] = char(0x5a ^ (i * 37));
            }
        });
    }));
}

void TestFrameSource::segmentsDecodeLikeOnePass_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("segments"); ///< decoded in segments when there are threads
    QTest::addColumn<int>("minFrames");
    QTest::addRow("msmpeg4v3 avi with sound") << clip("msmpeg4.avi") << true << 100;
    QTest::addRow("wmv2 asf") << clip("wmv2.wmv") << true << 100;
    QTest::addRow("flv1 flv") << clip("flv1.flv") << true << 100;
    QTest::addRow("mjpeg avi 720p") << clip("mjpeg.avi") << true << 200;
    QTest::addRow("opencv-doc vtest.avi (msmpeg4v3)") << OpenCvData + "vtest.avi" << true << 795;
    QTest::addRow("opencv-doc tree.avi (cinepak)") << OpenCvData + "tree.avi" << true << 68;
    QTest::addRow("smc mov (palette)") << clip("smc.mov") << false << 100;
    QTest::addRow("mpeg2 (own threads)") << clip("mpeg2.mpg") << false << 100;
}

void TestFrameSource::segmentsDecodeLikeOnePass()
{
    QFETCH(QString, path);
    QFETCH(bool, segments);
    QFETCH(int, minFrames);
    const Decoded reference = decodeAll(path, 1);
    QVERIFY2(!reference.error, qPrintable(reference.error ? reference.error->message : ""));
    QCOMPARE(reference.segmentDecoders, 0);
    QVERIFY2(reference.frames.size() >= minFrames,
             qPrintable(QString::number(reference.frames.size())));
    for (int i = 0; i < reference.indices.size(); ++i)
        QCOMPARE(reference.indices.at(i), qint64(i));
    for (const int threads : { 2, 3 }) {
        const Decoded decoded = decodeAll(path, threads);
        QVERIFY2(!decoded.error, qPrintable(decoded.error ? decoded.error->message : ""));
        QCOMPARE(decoded.segmentDecoders, segments ? threads : 0);
        // Decoded in many segments indeed (at most one per 8 frames).
        if (segments)
            QVERIFY2(decoded.segments >= std::min(qint64(reference.frames.size()) / 30, 3LL),
                     qPrintable(QString::number(decoded.segments)));
        QCOMPARE(decoded.frames.size(), reference.frames.size());
        QCOMPARE(decoded.indices, reference.indices);
        QCOMPARE(decoded.times, reference.times);
        for (int i = 0; i < reference.frames.size(); ++i) {
            QVERIFY2(decoded.frames.at(i) == reference.frames.at(i),
                     qPrintable(
                         QStringLiteral("frame %1 differs with %2 decoders").arg(i).arg(threads)));
        }
        QCOMPARE(decoded.audioSamples, reference.audioSamples);
        QCOMPARE(decoded.audio, reference.audio);
    }
    if (path.endsWith(QStringLiteral("msmpeg4.avi")))
        QVERIFY(reference.audioSamples >= 4 * 16000 - 1600);
}

void TestFrameSource::misleadingKeyframes_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("segments"); ///< 4 real keyframes in 100 frames
    QTest::addRow("inter frames flagged as keyframes") << "flaglies.flv" << 4;
    QTest::addRow("damaged keyframes") << "damagedkeys.flv" << 1;
}

void TestFrameSource::misleadingKeyframes()
{
    // A segment must start only where a decoder that has seen nothing decodes what one decoder
    // would: a real keyframe, undamaged. Else its frames come out grey-based and differ.
    QFETCH(QString, file);
    QFETCH(int, segments);
    const Decoded reference = decodeAll(clip(file), 1);
    QVERIFY2(!reference.error, qPrintable(reference.error ? reference.error->message : ""));
    QCOMPARE(reference.frames.size(), 100);
    for (const int threads : { 2, 3 }) {
        const Decoded decoded = decodeAll(clip(file), threads);
        QVERIFY2(!decoded.error, qPrintable(decoded.error ? decoded.error->message : ""));
        QCOMPARE(decoded.segmentDecoders, threads);
        QCOMPARE(decoded.frames.size(), reference.frames.size());
        for (int i = 0; i < reference.frames.size(); ++i) {
            QVERIFY2(decoded.frames.at(i) == reference.frames.at(i),
                     qPrintable(
                         QStringLiteral("frame %1 differs with %2 decoders").arg(i).arg(threads)));
        }
        QCOMPARE(decoded.segments, qint64(segments));
    }
}

void TestFrameSource::shortVideosStayWhole_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("segmented");
    // 68 frames of 320x240: 15 MB decoded, under the default 64 MB of a first segment.
    QTest::addRow("tree.avi") << OpenCvData + "tree.avi" << false;
    QTest::addRow("msmpeg4 clip") << clip("msmpeg4.avi") << false;
    // 795 frames of 768x576, 527 MB: the first keyframe after 64 MB ends the first segment.
    QTest::addRow("vtest.avi") << OpenCvData + "vtest.avi" << true;
}

void TestFrameSource::shortVideosStayWhole()
{
    QFETCH(QString, path);
    QFETCH(bool, segmented);
    const Decoded decoded = decodeAll(path, 2, FrameSourceOptions().firstSegmentBytes);
    QVERIFY2(!decoded.error, qPrintable(decoded.error ? decoded.error->message : ""));
    QCOMPARE(decoded.segmentDecoders, 2);
    if (segmented)
        QVERIFY2(decoded.segments > 1, qPrintable(QString::number(decoded.segments)));
    else
        QCOMPARE(decoded.segments, 1);
}

void TestFrameSource::truncatedSegmentsFail()
{
    // Half a file decoded in segments: the same verdict as in one pass, after every frame
    // there is.
    const Decoded reference = decodeAll(clip("truncated.avi"), 1);
    const Decoded decoded = decodeAll(clip("truncated.avi"), 2);
    QCOMPARE(decoded.segmentDecoders, 2);
    // Without its index the AVI flags every frame as a keyframe: not believed, one segment.
    QCOMPARE(decoded.segments, 1);
    QVERIFY(reference.error);
    QVERIFY(decoded.error);
    QVERIFY2(decoded.error->message.startsWith(
                 QStringLiteral("truncated or corrupt file: the video stops at")),
             qPrintable(decoded.error->message));
    QCOMPARE(decoded.error->message, reference.error->message);
    QCOMPARE(decoded.frames, reference.frames);
}

void TestFrameSource::holdsAheadOnlyWhenItPays()
{
    // Segment decoders decode ahead of the analysis only while it waits for them: an analysis
    // faster than decoding (nothing but next() here) lets the decoder of the second segment
    // fill its share of memory, a slower one (10 ms a frame, against 2-3 ms to decode one of
    // these 720p pictures) keeps them at a batch each.
    const auto mostBuffered = [this](double busyMs) {
        FrameSource source;
        FrameSourceOptions options;
        options.decoderThreads = 2;
        options.firstSegmentBytes = 0;
        options.decodeAudio = false;
        if (source.open(clip("longgop.avi"), options) || source.segmentDecoders() != 2)
            return -1;
        int most = 0;
        for (int taken = 0; taken < 150;) {
            const Result<FrameSource::Event> event = source.next();
            if (!event || event.value() == FrameSource::Event::End)
                return -1;
            if (event.value() != FrameSource::Event::Video)
                continue;
            ++taken;
            QElapsedTimer busy;
            busy.start();
            while (busy.nsecsElapsed() < qint64(busyMs * 1e6)) { }
            most = std::max(most, source.framesBuffered());
        }
        return most;
    };
    const int fast = mostBuffered(0);
    const int slow = mostBuffered(10);
    QVERIFY2(fast > 16, qPrintable(QString::number(fast)));
    QVERIFY2(slow >= 0 && slow <= 16, qPrintable(QString::number(slow)));
}

void TestFrameSource::stopsHalfway_data()
{
    QTest::addColumn<int>("framesTaken");
    QTest::addColumn<int>("decoderThreads");
    for (const int taken : { 0, 1, 5, 60 }) {
        for (const int threads : { 1, 2, 3 })
            QTest::addRow("%d frames, %d threads", taken, threads) << taken << threads;
    }
}

void TestFrameSource::stopsHalfway()
{
    // The 720p clip: the decoders ahead fill their share of memory and wait for room while
    // the analysis stops taking frames; destroying the source must wake and end them all.
    QFETCH(int, framesTaken);
    QFETCH(int, decoderThreads);
    auto source = std::make_unique<FrameSource>();
    FrameSourceOptions options;
    options.decoderThreads = decoderThreads;
    options.firstSegmentBytes = 0;
    QVERIFY(!source->open(clip("mjpeg.avi"), options));
    QCOMPARE(source->segmentDecoders(), decoderThreads > 1 ? decoderThreads : 0);
    for (int taken = 0; taken < framesTaken;) {
        const Result<FrameSource::Event> event = source->next();
        QVERIFY(event.ok());
        QVERIFY(event.value() != FrameSource::Event::End);
        if (event.value() == FrameSource::Event::Video) {
            QCOMPARE(source->frameIndex(), qint64(taken));
            ++taken;
        }
    }
    source.reset(); // joins every thread: a hang here is the failure (ctest's timeout)
}

QTEST_GUILESS_MAIN(TestFrameSource)
void TestFrameSource::outOfThreads_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("decoderThreads");
    QTest::addColumn<QString>("message");
    // Read as another user (see runWithoutThreads): the sample clips, not the temporary
    // directory.
    QTest::newRow("segments") // msmpeg4: segment decoders
        << OpenCvData + "vtest.avi" << 0 << "cannot start the decoding thread";
    QTest::newRow("one decoder") << OpenCvData + "Megamind.avi" << 1
                                 << "cannot start the decoding thread";
    QTest::newRow("frame threads") // FFmpeg's own, whatever the number of cores
        << OpenCvData + "Megamind.avi" << 2 << "cannot open the mpeg4 decoder";
}

void TestFrameSource::outOfThreads()
{
    // A process that cannot start threads: open() says so (the decoding thread, or FFmpeg's
    // frame threads), as the process's error rather than the file's, and nothing crashes or
    // hangs.
    QFETCH(QString, path);
    QFETCH(int, decoderThreads);
    QFETCH(QString, message);
    const int status = runWithoutThreads([&] {
        FrameSource source;
        FrameSourceOptions options;
        options.decoderThreads = decoderThreads;
        const Status opened = source.open(path, options);
        if (!opened)
            return 1;
        // Not the file's fault: not "unsupported codec".
        if (opened->code != ErrorCode::Internal)
            return 2;
        return opened->message.startsWith(message) ? 0 : 3;
    });
    if (status < 0)
        QSKIP("cannot make a process that fails to start threads here");
    QCOMPARE(status, 0);
}

#include "tst_framesource.moc"
