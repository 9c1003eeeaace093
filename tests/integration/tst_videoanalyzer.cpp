// VideoAnalyzer on real files: Megamind.avi (opencv-doc) against its known cuts, and a clip
// built here with the ffmpeg CLI from known sources, with cuts, a fade through black, a cross
// dissolve, a solid colour shot, a fade through black by xfade, and a tone with a gap of
// silence. Also: damaged files fail with a clear message, cancellation is prompt, progress is
// monotonic and bounded in rate, and the streamed results have the documented shapes.

#include "ffmpegclips.h"
#include "nothreads.h"
#include "server/analysis/detectionworker.h"
#include "server/analysis/framesource.h"
#include "server/analysis/mediaprobe.h"
#include "server/analysis/videoanalyzer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <atomic>
#include <cmath>

using namespace mmv;
using namespace mmv::analysis;
using namespace mmv::testing;

namespace {

const QString OpenCvData = QStringLiteral("/usr/share/doc/opencv-doc/examples/data/");
const QString Megamind = OpenCvData + QStringLiteral("Megamind.avi");
const QString Cockatoo
    = QStringLiteral("/usr/lib/python3/dist-packages/imageio/resources/images/cockatoo.mp4");

struct Call
{
    QString kind;
    double start = 0;
    double end = 0;
    QJsonObject data;
    double confidence = 0;
};

struct Progress
{
    qint64 at = 0; ///< ms since the run began
    double fraction = 0;
    QString stage;
    double eta = 0;
};

/// Records everything; cancels on request from the test's own condition.
class RecordingSink : public AnalysisSink
{
public:
    RecordingSink() { clock.start(); }

    void progress(double fraction, const QString &stage, double eta) override
    {
        progressCalls.append(Progress{ clock.elapsed(), fraction, stage, eta });
        if (cancelAtProgress >= 0 && fraction >= cancelAtProgress && !cancelled) {
            cancelledAt.start();
            cancelled = true;
        }
    }
    void result(const QString &kind, double start, double end, const QJsonObject &data,
                double confidence) override
    {
        results.append(Call{ kind, start, end, data, confidence });
    }
    void content(const QString &kind, const QJsonArray &segments) override
    {
        contents.append(qMakePair(kind, segments));
    }
    bool isCancelled() const override { return cancelled; }

    QList<Call> of(const QString &kind) const
    {
        QList<Call> calls;
        for (const Call &call : results) {
            if (call.kind == kind)
                calls.append(call);
        }
        return calls;
    }

    QElapsedTimer clock;
    QList<Progress> progressCalls;
    QList<Call> results;
    QList<QPair<QString, QJsonArray>> contents;
    double cancelAtProgress = -1;
    std::atomic<bool> cancelled = false;
    QElapsedTimer cancelledAt;
};

AnalysisOptions fastOptions()
{
    AnalysisOptions options;
    options.detectFaces = false;
    options.detectPeople = false;
    return options;
}

/// For QVERIFY2, which evaluates its message whatever the outcome.
QByteArray failure(const Result<QJsonObject> &result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

} // namespace

class TestVideoAnalyzer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void megamindCuts();
    void builtClipSegmentation();
    void builtClipColoursAndAudio();
    void keyframesAreJpegsOnePerShot();
    void resultShapes();
    void outline();
    void progressIsMonotonicAndBounded();
    void detectionsPerShot();
    void missingFaceCascades();
    void profileFacesStayFound();
    void errorStaysTheAnswer();
    void turnedVideoIsAnalysedUpright();
    void lowFrameRateHoldsFewPictures();
    void goesOnWithoutDetectorThreads();
    void keyframeColoursAsFfmpeg_data();
    void keyframeColoursAsFfmpeg();
    void damagedFilesFail_data();
    void damagedFilesFail();
    void cancellationIsPrompt();

private:
    Result<QJsonObject> analyse(const QString &path, RecordingSink &sink,
                                const AnalysisOptions &options = fastOptions());

    QTemporaryDir m_dir;
    QString m_clip;
    std::optional<Result<QJsonObject>> m_clipResult;
    RecordingSink m_clipSink;
};

void TestVideoAnalyzer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(Megamind), "install opencv-doc (scripts/setup.sh)");
    // 25 fps, 375 frames. Shots: testsrc2 [0, 50) | cut | smptebars fading out over 90..109,
    // mandelbrot fading in over 110..129 [50, 110) | fade | mandelbrot, cross-dissolving over
    // 160..184 into a slow zoom on a photo [110, 172) | dissolve | [172, 235) | cut | solid red
    // [235, 275) | cut | a pan over a photo, through black by xfade over 325..349 [275, 337) |
    // fade | testsrc [337, 375). Audio: a 440 Hz tone at half scale, silent from 6 s to 10 s.
    m_clip = m_dir.filePath(QStringLiteral("built.mp4"));
    const QString filters = QStringLiteral(
        "[0]format=yuv420p,setsar=1[a];"
        "[1]fade=t=out:st=1.6:d=0.8,format=yuv420p,setsar=1[b];"
        "[2]fade=t=in:st=0:d=0.8,format=yuv420p,setsar=1[c];"
        "[3]scale=640:480,zoompan=z='min(zoom+0.002,1.5)':d=1:s=320x240:fps=25,"
        "format=yuv420p,setsar=1[d];"
        "[c][d]xfade=transition=fade:duration=1:offset=2[cd];"
        "[4]format=yuv420p,setsar=1[e];"
        "[5]scale=640:480,zoompan=z='1.2':x='iw/2-iw/zoom/2+on*2':y='ih/2-ih/zoom/2':d=1:"
        "s=320x240:fps=25,format=yuv420p,setsar=1[f];"
        "[6]format=yuv420p,setsar=1[g];"
        "[f][g]xfade=transition=fadeblack:duration=1:offset=2[fg];"
        "[a][b][cd][e][fg]concat=n=5:v=1:a=0[out]");
    QString error;
    QVERIFY2(runFfmpeg({ "-f",
                         "lavfi",
                         "-i",
                         "testsrc2=s=320x240:r=25:d=2",
                         "-f",
                         "lavfi",
                         "-i",
                         "smptebars=s=320x240:r=25:d=2.4",
                         "-f",
                         "lavfi",
                         "-t",
                         "3",
                         "-i",
                         "mandelbrot=s=320x240:r=25",
                         "-loop",
                         "1",
                         "-framerate",
                         "25",
                         "-t",
                         "3",
                         "-i",
                         OpenCvData + "fruits.jpg",
                         "-f",
                         "lavfi",
                         "-i",
                         "color=c=red:s=320x240:r=25:d=1.6",
                         "-loop",
                         "1",
                         "-framerate",
                         "25",
                         "-t",
                         "3",
                         "-i",
                         OpenCvData + "baboon.jpg",
                         "-f",
                         "lavfi",
                         "-i",
                         "testsrc=s=320x240:r=25:d=2",
                         "-f",
                         "lavfi",
                         "-i",
                         "aevalsrc='if(between(t,6,10),0,0.5*sin(2*PI*440*t))':s=44100:d=15",
                         "-filter_complex",
                         filters,
                         "-map",
                         "[out]",
                         "-map",
                         "7:a",
                         "-c:v",
                         "libx264",
                         "-crf",
                         "18",
                         "-g",
                         "50",
                         "-pix_fmt",
                         "yuv420p",
                         "-c:a",
                         "aac",
                         "-b:a",
                         "128k",
                         "-movflags",
                         "+faststart",
                         m_clip },
                       &error),
             qPrintable(error));
    QVERIFY2(copyTruncated(m_clip, m_dir.filePath(QStringLiteral("truncated.mp4")), 0.5),
             "cannot write the truncated copy");
    QVERIFY(copyTruncated(Megamind, m_dir.filePath(QStringLiteral("truncated.avi")), 0.5));
    QFile text(m_dir.filePath(QStringLiteral("text.mp4")));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("This is not a video, whatever its name says.\n");
    text.close();

    // Most checks look at one analysis of the built clip.
    m_clipResult = analyse(m_clip, m_clipSink);
    QVERIFY2(m_clipResult->ok(), failure(*m_clipResult).constData());
}

Result<QJsonObject> TestVideoAnalyzer::analyse(const QString &path, RecordingSink &sink,
                                               const AnalysisOptions &options)
{
    const QString keyframes
        = m_dir.filePath(QStringLiteral("keyframes-%1").arg(QFileInfo(path).completeBaseName()));
    QDir(keyframes).removeRecursively();
    return VideoAnalyzer(options).run(path, keyframes, sink);
}

void TestVideoAnalyzer::megamindCuts()
{
    // The frames ffmpeg's scene score puts above 0.3:
    //   ffmpeg -i Megamind.avi -vf "select='gt(scene,0.3)',showinfo" -f null -
    // pts_time 0.0834168 (a black first frame, then the picture), 4.12913, 6.4648, 8.38338.
    const double truth[] = { 0.0834168, 4.12913, 6.4648, 8.38338 };
    const double frame = 125.0 / 2997;
    RecordingSink sink;
    const Result<QJsonObject> result = analyse(Megamind, sink);
    QVERIFY2(result.ok(), failure(result).constData());
    const QList<Call> shots = sink.of(QStringLiteral("shot"));
    QCOMPARE(shots.size(), 5);
    QCOMPARE(shots[0].data.value(QStringLiteral("transition")).toString(), QStringLiteral("start"));
    for (int i = 0; i < 4; ++i) {
        const Call &shot = shots[i + 1];
        QCOMPARE(shot.data.value(QStringLiteral("transition")).toString(), QStringLiteral("cut"));
        QVERIFY2(std::abs(shot.start - truth[i]) <= frame,
                 qPrintable(QStringLiteral("cut %1 at %2 s, expected %3 s")
                                .arg(i)
                                .arg(shot.start)
                                .arg(truth[i])));
        QCOMPARE(shots[i].end, shot.start);
    }
    QVERIFY(std::abs(shots.last().end - 11.26) < 0.1);
    const QJsonArray documentShots = result.value().value(QStringLiteral("shots")).toArray();
    QCOMPARE(documentShots.size(), 5);
    QCOMPARE(result.value().value(QStringLiteral("video")).toObject().value("frames").toInt(), 270);
}

void TestVideoAnalyzer::builtClipSegmentation()
{
    struct Expected
    {
        int frame;
        const char *kind;
        int tolerance;
    };
    const Expected expected[] = { { 50, "cut", 0 },  { 110, "fade", 2 }, { 172, "dissolve", 2 },
                                  { 235, "cut", 0 }, { 275, "cut", 0 },  { 337, "fade", 2 } };
    const QList<Call> shots = m_clipSink.of(QStringLiteral("shot"));
    QString found;
    for (const Call &shot : shots) {
        found += QStringLiteral(" %1@%2")
                     .arg(shot.data.value("transition").toString())
                     .arg(shot.start * 25);
    }
    QVERIFY2(shots.size() == 7, qPrintable(found));
    for (int i = 0; i < 6; ++i) {
        const Call &shot = shots[i + 1];
        QVERIFY2(std::abs(shot.start * 25 - expected[i].frame) <= expected[i].tolerance + 1e-6,
                 qPrintable(found));
        QCOMPARE(shot.data.value(QStringLiteral("transition")).toString(),
                 QString::fromLatin1(expected[i].kind));
        if (expected[i].tolerance > 0) {
            // A gradual transition is reported with its extent.
            const double from = shot.data.value(QStringLiteral("transition_start")).toDouble();
            const double to = shot.data.value(QStringLiteral("transition_end")).toDouble();
            QVERIFY2(to - from >= 0.5 && from < shot.start && to > shot.start, qPrintable(found));
        }
    }
    QCOMPARE(shots.last().end, 15.0);
}

void TestVideoAnalyzer::builtClipColoursAndAudio()
{
    const QList<Call> colours = m_clipSink.of(QStringLiteral("colors"));
    QCOMPARE(colours.size(), 7);
    const QJsonObject red = colours[4].data;
    QCOMPARE(red.value(QStringLiteral("shot")).toInt(), 4);
    const QJsonArray dominant = red.value(QStringLiteral("dominant")).toArray();
    QVERIFY(!dominant.isEmpty());
    const QString hex = dominant[0].toObject().value(QStringLiteral("hex")).toString();
    bool ok = false;
    const uint rgb = hex.mid(1).toUInt(&ok, 16);
    QVERIFY2(ok && (rgb >> 16) >= 0xf0 && ((rgb >> 8) & 0xff) <= 0x10 && (rgb & 0xff) <= 0x10,
             qPrintable(hex));
    QVERIFY(dominant[0].toObject().value(QStringLiteral("share")).toDouble() >= 0.95);
    QVERIFY(std::abs(red.value(QStringLiteral("brightness")).toDouble() - 0.3) < 0.03);

    const QList<Call> motion = m_clipSink.of(QStringLiteral("motion"));
    QCOMPARE(motion.size(), 7);
    const auto intensity = [&motion](int shot) {
        return motion[shot].data.value(QStringLiteral("intensity")).toDouble();
    };
    QCOMPARE(intensity(4), 0.0); // solid red
    QVERIFY(intensity(1) < 0.05); // colour bars
    QVERIFY(intensity(5) > intensity(1) + 0.1); // a pan

    // Loudness of a half-scale sine is -9 dBFS; silence from 6 s to 10 s.
    QList<QJsonObject> points;
    for (const Call &chunk : m_clipSink.of(QStringLiteral("audio"))) {
        for (const QJsonValue &point : chunk.data.value(QStringLiteral("loudness")).toArray())
            points.append(point.toObject());
    }
    QVERIFY2(points.size() >= 29 && points.size() <= 31,
             qPrintable(QString::number(points.size())));
    for (const QJsonObject &point : points) {
        const double t = point.value(QStringLiteral("t")).toDouble();
        const double db = point.value(QStringLiteral("db")).toDouble();
        if ((t > 0.2 && t < 5.4) || (t > 10.2 && t < 14.4))
            QVERIFY2(std::abs(db - -9) < 1,
                     qPrintable(QStringLiteral("%1 dB at %2 s").arg(db).arg(t)));
        else if (t > 6.2 && t < 9.4)
            QVERIFY2(db < -60, qPrintable(QStringLiteral("%1 dB at %2 s").arg(db).arg(t)));
    }
    const QList<Call> silences = m_clipSink.of(QStringLiteral("silence"));
    QCOMPARE(silences.size(), 1);
    QVERIFY2(std::abs(silences[0].start - 6) < 0.1 && std::abs(silences[0].end - 10) < 0.1,
             qPrintable(QStringLiteral("%1..%2").arg(silences[0].start).arg(silences[0].end)));
    const QJsonObject audio = m_clipResult->value().value(QStringLiteral("audio")).toObject();
    QCOMPARE(audio.value(QStringLiteral("present")).toBool(), true);
    QCOMPARE(audio.value(QStringLiteral("silence")).toArray().size(), 1);
}

void TestVideoAnalyzer::keyframesAreJpegsOnePerShot()
{
    const QDir dir(m_dir.filePath(QStringLiteral("keyframes-built")));
    const QStringList files = dir.entryList({ QStringLiteral("*.jpg") }, QDir::Files);
    QCOMPARE(files.size(), 7);
    const QList<Call> keyframes = m_clipSink.of(QStringLiteral("keyframe"));
    const QList<Call> shots = m_clipSink.of(QStringLiteral("shot"));
    QCOMPARE(keyframes.size(), 7);
    for (int n = 0; n < 7; ++n) {
        const QJsonObject data = keyframes[n].data;
        QCOMPARE(data.value(QStringLiteral("keyframe")).toInt(), n);
        QCOMPARE(shots[n].data.value(QStringLiteral("keyframe")).toInt(), n);
        // Inside its shot, and not in the transitions at either end.
        const double time = data.value(QStringLiteral("time")).toDouble();
        QVERIFY(time >= shots[n].start && time < shots[n].end);
        QVERIFY(n == 0 || time > shots[n].data.value("transition_end").toDouble());
        QVERIFY(n == 6 || time < shots[n + 1].data.value("transition_start").toDouble());
        const cv::Mat image = cv::imread(
            QFile::encodeName(dir.filePath(QStringLiteral("%1.jpg").arg(n))).toStdString());
        QVERIFY(!image.empty());
        QCOMPARE(image.cols, data.value(QStringLiteral("width")).toInt());
        QCOMPARE(image.rows, data.value(QStringLiteral("height")).toInt());
        QCOMPARE(image.cols, 320); // never upscaled
    }
    // The solid red shot's keyframe is red.
    const cv::Mat red = cv::imread(QFile::encodeName(dir.filePath("4.jpg")).toStdString());
    const cv::Scalar mean = cv::mean(red);
    QVERIFY(mean[2] > 230 && mean[1] < 25 && mean[0] < 25);
}

void TestVideoAnalyzer::resultShapes()
{
    const QHash<QString, QStringList> keys{
        { "shot",
          { "index", "keyframe", "score", "transition", "transition_end", "transition_start" } },
        { "keyframe", { "height", "keyframe", "shot", "time", "width" } },
        { "colors", { "brightness", "dominant", "shot" } },
        { "motion", { "intensity", "shot" } },
        { "audio", { "loudness" } },
        { "silence", { "end", "start" } },
    };
    QSet<QString> kinds;
    for (const Call &call : m_clipSink.results) {
        QVERIFY2(keys.contains(call.kind), qPrintable(call.kind));
        kinds.insert(call.kind);
        QCOMPARE(call.data.keys(), keys.value(call.kind));
        if (call.kind != QLatin1String("keyframe"))
            QVERIFY(call.end >= call.start);
    }
    QCOMPARE(kinds.size(), keys.size());
    // Each shot's results follow it, in shot order.
    int shot = -1;
    for (const Call &call : m_clipSink.results) {
        if (call.kind == QLatin1String("shot")) {
            QCOMPARE(call.data.value("index").toInt(), shot + 1);
            ++shot;
        } else if (call.data.contains(QStringLiteral("shot"))) {
            QCOMPARE(call.data.value("shot").toInt(), shot);
        }
    }
    const QJsonObject document = m_clipResult->value();
    QCOMPARE(document.value(QStringLiteral("schema")).toInt(), 1);
    for (const char *key : { "video", "options", "shots", "audio", "outline", "timings" })
        QVERIFY2(document.contains(QLatin1String(key)), key);
    const QJsonObject first = document.value("shots").toArray().first().toObject();
    for (const char *key : { "index", "start", "end", "transition", "score", "keyframe", "colors",
                             "motion", "frames", "first_frame" })
        QVERIFY2(first.contains(QLatin1String(key)), key);
    QCOMPARE(document.value("video").toObject().value("frames").toInt(), 375);
}

void TestVideoAnalyzer::outline()
{
    QStringList kinds;
    for (const auto &content : m_clipSink.contents)
        kinds << content.first;
    QVERIFY(kinds.contains(QStringLiteral("segment")));
    QVERIFY(kinds.contains(QStringLiteral("outline")));
    QCOMPARE(kinds.last(), QStringLiteral("summary"));
    QCOMPARE(kinds.count(QStringLiteral("summary")), 1);
    const QJsonArray summary = m_clipSink.contents.last().second;
    QVERIFY(summary.size() >= 2);
    double end = 0;
    for (int i = 0; i < summary.size(); ++i) {
        const QJsonObject segment = summary[i].toObject();
        QCOMPARE(segment.value("index").toInt(), i);
        QCOMPARE(segment.value("start").toDouble(), end); // contiguous
        end = segment.value("end").toDouble();
        QVERIFY(!segment.value("title").toString().isEmpty());
        QVERIFY(segment.value("keyframe").toInt() >= 0);
    }
    QCOMPARE(end, 15.0);
    // Segments close in order, each once.
    int segments = 0;
    for (const auto &content : m_clipSink.contents) {
        if (content.first == QLatin1String("segment")) {
            QCOMPARE(content.second.size(), 1);
            QCOMPARE(content.second[0].toObject().value("index").toInt(), segments++);
        }
    }
    QCOMPARE(segments, summary.size());
    QCOMPARE(m_clipResult->value().value("outline").toArray(), summary);
}

void TestVideoAnalyzer::progressIsMonotonicAndBounded()
{
    const QList<Progress> &calls = m_clipSink.progressCalls;
    QVERIFY(calls.size() >= 3);
    QCOMPARE(calls.last().fraction, 1.0);
    QCOMPARE(calls.last().stage, QStringLiteral("done"));
    const qint64 elapsed = calls.last().at;
    QVERIFY2(calls.size() <= 110 + elapsed / 500,
             qPrintable(QStringLiteral("%1 calls in %2 ms").arg(calls.size()).arg(elapsed)));
    for (int i = 1; i < calls.size(); ++i) {
        QVERIFY(calls[i].fraction >= calls[i - 1].fraction);
        QVERIFY(calls[i].eta == -1 || calls[i].eta >= 0);
        const bool step = calls[i].fraction - calls[i - 1].fraction >= 0.0099;
        const bool late = calls[i].at - calls[i - 1].at >= 450;
        const bool stageChange = calls[i].stage != calls[i - 1].stage;
        QVERIFY2(step || late || stageChange,
                 qPrintable(QStringLiteral("call %1: %2 -> %3")
                                .arg(i)
                                .arg(calls[i - 1].fraction)
                                .arg(calls[i].fraction)));
    }
}

void TestVideoAnalyzer::detectionsPerShot()
{
    RecordingSink sink;
    const Result<QJsonObject> result = analyse(Megamind, sink, AnalysisOptions{});
    QVERIFY2(result.ok(), failure(result).constData());
    const QList<Call> faces = sink.of(QStringLiteral("faces"));
    const QList<Call> people = sink.of(QStringLiteral("people"));
    QCOMPARE(faces.size(), 5);
    QCOMPARE(people.size(), 5);
    int sawFaces = 0;
    for (int i = 0; i < 5; ++i) {
        for (const Call &call : { faces[i], people[i] }) {
            QCOMPARE(call.data.value(QStringLiteral("shot")).toInt(), i);
            QCOMPARE(call.data.keys(), (QStringList{ "count", "max_count", "shot", "tracks" }));
            for (const QJsonValue &track : call.data.value(QStringLiteral("tracks")).toArray()) {
                const double start = track.toObject().value("start").toDouble();
                QVERIFY(start >= call.start && start < call.end);
            }
        }
        sawFaces += faces[i].data.value(QStringLiteral("count")).toInt();
    }
    QVERIFY(sawFaces > 0); // close-ups of two faces
    // Per shot, the detections come after the shot itself.
    qsizetype shotAt = -1;
    for (qsizetype i = 0; i < sink.results.size(); ++i) {
        if (sink.results[i].kind == QLatin1String("shot"))
            shotAt = i;
        if (sink.results[i].kind == QLatin1String("faces"))
            QVERIFY(shotAt >= 0);
    }
    const QJsonObject shot = result.value().value("shots").toArray().at(2).toObject();
    QVERIFY(shot.contains(QStringLiteral("faces")) && shot.contains(QStringLiteral("people")));
    const QJsonObject timings = result.value().value("timings").toObject();
    const int samples = timings.value("detection_samples").toInt();
    QVERIFY(samples >= 20);
    // Each kind searches the first sample after each of the 4 cuts whole, and not every sample
    // (DetectionWorker's schedule).
    const int fullScans = timings.value("detection_full_scans").toInt();
    QVERIFY2(fullScans >= 2 * 4 && fullScans < 2 * samples,
             qPrintable(QStringLiteral("%1 whole searches for %2 samples of 2 kinds")
                            .arg(fullScans)
                            .arg(samples)));
}

void TestVideoAnalyzer::missingFaceCascades()
{
    // The detectors load in their own threads while decoding starts: a face cascade that is
    // not there still leaves the run without face results, with the reason in the document,
    // and people are still looked for.
    QTemporaryDir empty;
    QVERIFY(empty.isValid());
    const QByteArray previous = qgetenv("MMV_CASCADE_DIR");
    qputenv("MMV_CASCADE_DIR", QFile::encodeName(empty.path()));
    RecordingSink sink;
    const Result<QJsonObject> result = analyse(Megamind, sink, AnalysisOptions{});
    // Faces only, and they cannot load: the document is that of no detection, with the reason.
    AnalysisOptions facesOnly;
    facesOnly.detectPeople = false;
    RecordingSink noneSink;
    const Result<QJsonObject> none = analyse(Megamind, noneSink, facesOnly);
    if (previous.isEmpty())
        qunsetenv("MMV_CASCADE_DIR");
    else
        qputenv("MMV_CASCADE_DIR", previous);
    QVERIFY2(none.ok(), failure(none).constData());
    const QJsonObject noneTimings = none.value().value("timings").toObject();
    QVERIFY(noneTimings.contains(QStringLiteral("detection_error")));
    QVERIFY(!noneTimings.contains(QStringLiteral("detection_samples")));
    QVERIFY(noneSink.of(QStringLiteral("faces")).isEmpty());
    QVERIFY(noneSink.of(QStringLiteral("people")).isEmpty());
    QVERIFY2(result.ok(), failure(result).constData());
    QVERIFY(sink.of(QStringLiteral("faces")).isEmpty());
    QCOMPARE(sink.of(QStringLiteral("people")).size(), 5);
    const QJsonObject options = result.value().value("options").toObject();
    QCOMPARE(options.value("faces").toBool(), false);
    QCOMPARE(options.value("people").toBool(), true);
    const QString error
        = result.value().value("timings").toObject().value("detection_error").toString();
    QVERIFY2(error.contains(QStringLiteral("face detection unavailable"))
                 && error.contains(QStringLiteral("haarcascade_frontalface_alt2.xml")),
             qPrintable(error));
    for (const QJsonValue &shot : result.value().value("shots").toArray()) {
        QVERIFY(!shot.toObject().contains(QStringLiteral("faces")));
        QVERIFY(shot.toObject().contains(QStringLiteral("people")));
    }
}

void TestVideoAnalyzer::profileFacesStayFound()
{
    // A face only the profile cascade finds (the frontal one switched off), still for 15 s:
    // found in the first sample, then in every whole search. The schedule's frontal-only whole
    // searches, meant for empty scenes, must not drop it (they did, in every other one).
    const QString clip = m_dir.filePath(QStringLiteral("profile.avi"));
    QString error;
    QVERIFY2(runFfmpeg({ "-loop", "1", "-framerate", "4", "-t", "15", "-i",
                         OpenCvData + "messi5.jpg", "-vf",
                         "crop=240:200:150:30,scale=-2:360,pad=640:360:(ow-iw)/2:0,format=yuv420p",
                         "-c:v", "mpeg4", "-q:v", "2", clip },
                       &error),
             qPrintable(error));
    FaceDetectorOptions profilesOnly;
    profilesOnly.frontal = false;
    DetectionWorker worker(true, false, 2, 4, profilesOnly);
    FrameSource source;
    FrameSourceOptions options;
    options.decodeAudio = false;
    QVERIFY(!source.open(clip, options));
    qint64 submitted = 0;
    for (;;) {
        const Result<FrameSource::Event> event = source.next();
        QVERIFY(event.ok());
        if (event.value() == FrameSource::Event::End)
            break;
        if (source.frameIndex() % 2 == 0) { // 2 samples a second
            QVERIFY(worker.submit(source.frameIndex(), source.frameTime(), source.picture(), 640,
                                  false, {}));
            ++submitted;
        }
    }
    QCOMPARE(submitted, 30);
    std::vector<DetectionResult> results;
    while (qint64(results.size()) < submitted) {
        worker.waitForResult(1000);
        for (DetectionResult &result : worker.takeResults())
            results.push_back(std::move(result));
    }
    QVERIFY(worker.detectsFaces());
    QString found;
    for (const DetectionResult &result : results)
        found += result.faces.isEmpty() ? QLatin1Char('0') : QLatin1Char('1');
    QCOMPARE(found.front(), QLatin1Char('1'));
    // Whole searches come at samples 0, 2, 6, 12, 18 and 24 (a still scene; the interval grows
    // from 2 to 6): each must find the face again, profiles included.
    for (const int wholeSearch : { 0, 2, 6, 12, 18, 24 })
        QVERIFY2(found.at(wholeSearch) == QLatin1Char('1'), qPrintable(found));
    // ... and tracking keeps it in between (all 30 here).
    QVERIFY2(found.count(QLatin1Char('1')) >= 28, qPrintable(found));
}

void TestVideoAnalyzer::errorStaysTheAnswer()
{
    // After a damaged file's error, asking again answers the same error (it used to read an
    // empty queue).
    FrameSource source;
    FrameSourceOptions options;
    QVERIFY(!source.open(m_dir.filePath(QStringLiteral("truncated.avi")), options));
    std::optional<AppError> failure;
    for (int i = 0; i < 10000 && !failure; ++i) {
        const Result<FrameSource::Event> event = source.next();
        if (!event.ok())
            failure = event.error();
        else
            QVERIFY(event.value() != FrameSource::Event::End);
    }
    QVERIFY(failure);
    QVERIFY2(failure->message.startsWith(QStringLiteral("truncated or corrupt file")),
             qPrintable(failure->message));
    for (int i = 0; i < 3; ++i) {
        const Result<FrameSource::Event> again = source.next();
        QVERIFY(!again.ok());
        QCOMPARE(again.error().message, failure->message);
    }
}

void TestVideoAnalyzer::turnedVideoIsAnalysedUpright()
{
    // A phone's portrait video: the pictures are stored turned, with a display matrix that
    // turns them back. Megamind turned clockwise, tagged to be turned back (ffmpeg shows it
    // upright): the faces are found, the keyframes are upright, the sizes are as shown.
    const QString turned = m_dir.filePath(QStringLiteral("turned-pictures.mp4"));
    const QString clip = m_dir.filePath(QStringLiteral("turned.mp4"));
    QString error;
    QVERIFY2(runFfmpeg({ "-i", Megamind, "-an", "-vf", "transpose=1", "-c:v", "libx264", "-preset",
                         "ultrafast", "-crf", "18", turned },
                       &error),
             qPrintable(error));
    QVERIFY2(
        runFfmpeg({ "-i", turned, "-c", "copy", "-metadata:s:v:0", "rotate=90", clip }, &error),
        qPrintable(error));
    const Result<VideoInfo> probed = probeMedia(clip);
    QVERIFY(probed.ok());
    QCOMPARE(probed.value().width, 720);
    QCOMPARE(probed.value().height, 528);

    RecordingSink sink;
    const Result<QJsonObject> result = analyse(clip, sink, AnalysisOptions{});
    QVERIFY2(result.ok(), failure(result).constData());
    const QJsonObject video = result.value().value("video").toObject();
    QCOMPARE(video.value("width").toInt(), 720);
    QCOMPARE(video.value("height").toInt(), 528);
    QCOMPARE(video.value("rotation").toInt(), 270);
    int faces = 0;
    for (const Call &call : sink.of(QStringLiteral("faces")))
        faces += call.data.value(QStringLiteral("count")).toInt();
    QVERIFY2(faces > 0, "no face found: the frames were searched on their side");

    // The keyframe of shot 2 against ffmpeg's own upright frame at its time.
    const QJsonObject shot = result.value().value("shots").toArray().at(2).toObject();
    const double time = shot.value("keyframe_time").toDouble();
    const QString keyframes = m_dir.filePath(QStringLiteral("keyframes-turned"));
    const cv::Mat ours
        = cv::imread(QFile::encodeName(keyframes + QStringLiteral("/2.jpg")).toStdString());
    QVERIFY(!ours.empty());
    QVERIFY2(ours.cols > ours.rows, "the keyframe is not upright");
    const QString reference = m_dir.filePath(QStringLiteral("turned-reference.png"));
    QVERIFY2(runFfmpeg({ "-ss", QString::number(time, 'f', 3), "-i", clip, "-frames:v", "1", "-vf",
                         QStringLiteral("scale=%1:%2").arg(ours.cols).arg(ours.rows), reference },
                       &error),
             qPrintable(error));
    const cv::Mat upright = cv::imread(QFile::encodeName(reference).toStdString());
    QCOMPARE(upright.cols, ours.cols);
    cv::Mat upsideDown;
    cv::rotate(upright, upsideDown, cv::ROTATE_180);
    cv::Mat difference;
    cv::absdiff(ours, upright, difference);
    const double same = cv::mean(difference)[0];
    cv::absdiff(ours, upsideDown, difference);
    const double turnedOver = cv::mean(difference)[0];
    QVERIFY2(same < 12 && same < turnedOver / 2,
             qPrintable(QStringLiteral("mean difference %1 to ffmpeg's frame, %2 to it upside "
                                       "down")
                            .arg(same)
                            .arg(turnedOver)));
}

void TestVideoAnalyzer::lowFrameRateHoldsFewPictures()
{
    // A time-lapse at 2 frames/s, cut after 40 s: the shot detector settles a frame's shot 64
    // frames (32 s) later, and every keyframe candidate in between is held as a decoded
    // picture. One a second held 36 here; spaced, about 8 more than the 3 best kept of the
    // settled frames (13 here).
    const QString clip = m_dir.filePath(QStringLiteral("timelapse.mkv"));
    QString error;
    QVERIFY2(runFfmpeg({ "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=2:duration=40", "-f",
                         "lavfi", "-i", "smptehdbars=size=320x240:rate=2:duration=30",
                         "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]", "-c:v",
                         "mjpeg", "-q:v", "4", clip },
                       &error),
             qPrintable(error));
    RecordingSink sink;
    const Result<QJsonObject> result = analyse(clip, sink, fastOptions());
    QVERIFY2(result.ok(), failure(result).constData());
    const QJsonObject timings = result.value().value("timings").toObject();
    const int held = timings.value("keyframe_candidates_held_max").toInt();
    QVERIFY2(held >= 3 && held <= 16, qPrintable(QStringLiteral("%1 candidates held").arg(held)));
    const QJsonArray shots = result.value().value("shots").toArray();
    QCOMPARE(shots.size(), 2);
    QCOMPARE(shots.at(1).toObject().value("first_frame").toInt(), 80);
    for (const QJsonValue &value : shots) {
        // Still a keyframe from the middle of each shot, not from its edges.
        const QJsonObject shot = value.toObject();
        const double start = shot.value("start").toDouble();
        const double end = shot.value("end").toDouble();
        const double keyframe = shot.value("keyframe_time").toDouble();
        QVERIFY2(keyframe > start + (end - start) / 4 && keyframe < end - (end - start) / 4,
                 qPrintable(QStringLiteral("keyframe at %1 s in a shot of %2-%3 s")
                                .arg(keyframe)
                                .arg(start)
                                .arg(end)));
    }
}

void TestVideoAnalyzer::goesOnWithoutDetectorThreads()
{
    // A process with one thread to spare: the decoding thread starts (Megamind.avi with one
    // decoder thread needs no other), the face and people threads do not. The analysis
    // completes without them and says why, instead of waiting forever for their results.
    const int status = runWithoutThreads(
        [] {
            char keyframes[] = "/tmp/mmv-nothreads-XXXXXX";
            if (!mkdtemp(keyframes))
                return 1;
            AnalysisOptions options;
            options.decoderThreads = 1;
            RecordingSink sink;
            const Result<QJsonObject> result
                = VideoAnalyzer(options).run(Megamind, QString::fromLocal8Bit(keyframes), sink);
            QDir(QString::fromLocal8Bit(keyframes)).removeRecursively();
            if (!result)
                return 2;
            const QJsonObject document = result.value();
            if (document.value("shots").toArray().size() != 5)
                return 3;
            const QJsonObject timings = document.value("timings").toObject();
            if (!timings.value("detection_error")
                     .toString()
                     .contains(QStringLiteral("cannot start its thread")))
                return 4;
            return sink.of(QStringLiteral("faces")).isEmpty() ? 0 : 5;
        },
        1);
    if (status < 0)
        QSKIP("cannot make a process that fails to start threads here");
    QCOMPARE(status, 0);
}

void TestVideoAnalyzer::damagedFilesFail_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addRow("mp4 cut in half") << "truncated.mp4" << int(ErrorCode::UnsupportedMediaType)
                                     << "truncated or corrupt file: the video stops at";
    QTest::addRow("avi cut in half") << "truncated.avi" << int(ErrorCode::UnsupportedMediaType)
                                     << "truncated or corrupt file: the video stops at";
    QTest::addRow("text named .mp4")
        << "text.mp4" << int(ErrorCode::UnsupportedMediaType) << "not a readable media file";
    QTest::addRow("missing") << "missing.mp4" << int(ErrorCode::NotFound) << "no such file";
}

void TestVideoAnalyzer::damagedFilesFail()
{
    QFETCH(QString, file);
    QFETCH(int, code);
    QFETCH(QString, message);
    RecordingSink sink;
    const Result<QJsonObject> result = analyse(m_dir.filePath(file), sink);
    QVERIFY(!result.ok());
    QCOMPARE(int(result.error().code), code);
    QVERIFY2(result.error().message.startsWith(message), qPrintable(result.error().message));
}

void TestVideoAnalyzer::cancellationIsPrompt()
{
    // The full analysis of cockatoo.mp4 takes many seconds; cancel it a fifth of the way in.
    QVERIFY2(QFile::exists(Cockatoo), "install python3-imageio (scripts/setup.sh)");
    RecordingSink sink;
    sink.cancelAtProgress = 0.2;
    const Result<QJsonObject> result = analyse(Cockatoo, sink, AnalysisOptions{});
    QVERIFY(sink.cancelled);
    const qint64 latency = sink.cancelledAt.elapsed();
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, ErrorCode::Conflict);
    QCOMPARE(result.error().message, QStringLiteral("cancelled"));
    QVERIFY2(latency < 1000, qPrintable(QStringLiteral("%1 ms").arg(latency)));
    QVERIFY(sink.progressCalls.last().fraction < 1);
}

void TestVideoAnalyzer::keyframeColoursAsFfmpeg_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("encoding");
    const QStringList bt709{ "-vf",
                             "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p",
                             "-c:v",
                             "libx264",
                             "-colorspace",
                             "bt709",
                             "-color_primaries",
                             "bt709",
                             "-color_trc",
                             "bt709" };
    // Kept at its size (keyframes are 640 wide at most): limited range must still become
    // JPEG's full range (it was copied as it was: greys for black and white).
    QTest::addRow("320x240 limited range")
        << "bars320.mp4" << QStringList{ "-c:v", "libx264", "-pix_fmt", "yuv420p" };
    // BT.709 pictures (HD video) read with their own matrix, scaled or not.
    QTest::addRow("1280x720 BT.709") << "bars720.mp4" << bt709;
    QTest::addRow("640x360 BT.709") << "bars640.mp4" << bt709;
    QTest::addRow("640x360 full range MJPEG")
        << "bars640.avi" << QStringList{ "-c:v", "mjpeg", "-pix_fmt", "yuvj420p", "-q:v", "2" };
}

void TestVideoAnalyzer::keyframeColoursAsFfmpeg()
{
    // SMPTE colour bars (saturated colours, black, white) against ffmpeg's own RGB picture of
    // the same frame, which honours the range and matrix the stream is tagged with.
    QFETCH(QString, name);
    QFETCH(QStringList, encoding);
    const QString clip = m_dir.filePath(name);
    const QStringList size{ "-f", "lavfi", "-i",
                            name.contains("720")       ? "smptehdbars=s=1280x720:r=25:d=2"
                                : name.contains("640") ? "smptehdbars=s=640x360:r=25:d=2"
                                                       : "smptehdbars=s=320x240:r=25:d=2" };
    QString error;
    QVERIFY2(runFfmpeg(size + encoding + QStringList{ clip }, &error), qPrintable(error));
    RecordingSink sink;
    const Result<QJsonObject> result = analyse(clip, sink);
    QVERIFY2(result.ok(), failure(result).constData());
    const QJsonObject shot = result.value().value("shots").toArray().at(0).toObject();
    const QString keyframe = m_dir.filePath(
        QStringLiteral("keyframes-%1/0.jpg").arg(QFileInfo(clip).completeBaseName()));
    const cv::Mat ours = cv::imread(QFile::encodeName(keyframe).toStdString());
    QVERIFY(!ours.empty());
    const QString reference = m_dir.filePath(name + QStringLiteral(".png"));
    QVERIFY2(runFfmpeg({ "-ss", QString::number(shot.value("keyframe_time").toDouble(), 'f', 3),
                         "-i", clip, "-frames:v", "1", "-vf",
                         QStringLiteral("scale=%1:%2").arg(ours.cols).arg(ours.rows), reference },
                       &error),
             qPrintable(error));
    const cv::Mat theirs = cv::imread(QFile::encodeName(reference).toStdString());
    QCOMPARE(theirs.cols, ours.cols);
    QCOMPARE(theirs.rows, ours.rows);
    cv::Mat difference;
    cv::absdiff(ours, theirs, difference);
    const cv::Scalar perChannel = cv::mean(difference);
    const double mean = (perChannel[0] + perChannel[1] + perChannel[2]) / 3;
    // JPEG's own loss is about 0.5-1.6 here; the wrong range gave 9.8, the wrong matrix 4.8.
    QVERIFY2(mean < 3, qPrintable(QStringLiteral("mean difference %1").arg(mean)));
}

QTEST_GUILESS_MAIN(TestVideoAnalyzer)
#include "tst_videoanalyzer.moc"
