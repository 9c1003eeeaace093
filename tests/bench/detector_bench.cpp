// Times FaceDetector and PeopleDetector on the sampled frames of one video and prints what
// they find per sample, to compare detector options for speed and results.
//
//   mmv_detector_bench [--width PX] [--sample-fps N] [--faces-only | --people-only]
//                      [--face-option KEY=VALUE]... [--people-option KEY=VALUE]... VIDEO
//
// Frames are sampled like the analyzer does (the first frame at or after each sample time),
// scaled to --width (default 640) with area averaging, and given to the detectors in this
// thread. Keys are the fields of FaceDetectorOptions and PeopleDetectorOptions.

#include "server/analysis/facedetector.h"
#include "server/analysis/peopledetector.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <cstdio>
#include <ctime>

using namespace mmv::analysis;

namespace {

/// CPU time of this thread: all of a detector's work once OpenCV's own threads are off (main()
/// turns them off: with them, OPENCV_FOR_THREADS_NUM=1 or not, TBB workers took half the work
/// and this measured 38 ms per frame where perf counted 75-90), and
/// unlike wall time barely moved by other load on the machine.
qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

bool setFaceOption(FaceDetectorOptions &o, const QString &key, const QString &value)
{
    const double v = value.toDouble();
    if (key == QLatin1String("minFaceFraction"))
        o.minFaceFraction = v;
    else if (key == QLatin1String("profileMinFaceFraction"))
        o.profileMinFaceFraction = v;
    else if (key == QLatin1String("scaleFactor"))
        o.scaleFactor = v;
    else if (key == QLatin1String("frontalMinNeighbors"))
        o.frontalMinNeighbors = int(v);
    else if (key == QLatin1String("profileMinNeighbors"))
        o.profileMinNeighbors = int(v);
    else if (key == QLatin1String("frontal"))
        o.frontal = v != 0;
    else if (key == QLatin1String("profiles"))
        o.profiles = v != 0;
    else if (key == QLatin1String("maxWidth"))
        o.maxWidth = int(v);
    else if (key == QLatin1String("frontalWidth"))
        o.frontalWidth = int(v);
    else if (key == QLatin1String("profileWidth"))
        o.profileWidth = int(v);
    else
        return false;
    return true;
}

bool setPeopleOption(PeopleDetectorOptions &o, const QString &key, const QString &value)
{
    const double v = value.toDouble();
    if (key == QLatin1String("scaleFactor"))
        o.scaleFactor = v;
    else if (key == QLatin1String("winStride"))
        o.winStride = int(v);
    else if (key == QLatin1String("groupThreshold"))
        o.groupThreshold = int(v);
    else if (key == QLatin1String("minWeight"))
        o.minWeight = v;
    else if (key == QLatin1String("maxWidth"))
        o.maxWidth = int(v);
    else
        return false;
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    cv::setNumThreads(0); // every detector runs in this thread, so that its CPU time is all of it
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("video"), QStringLiteral("The file to sample."));
    const QCommandLineOption width(QStringLiteral("width"),
                                   QStringLiteral("Width of the sampled frames."),
                                   QStringLiteral("px"), QStringLiteral("640"));
    const QCommandLineOption sampleFps(QStringLiteral("sample-fps"),
                                       QStringLiteral("Samples per second."), QStringLiteral("n"),
                                       QStringLiteral("2"));
    const QCommandLineOption facesOnly(QStringLiteral("faces-only"), QStringLiteral("No people."));
    const QCommandLineOption peopleOnly(QStringLiteral("people-only"), QStringLiteral("No faces."));
    const QCommandLineOption faceOption(QStringLiteral("face-option"),
                                        QStringLiteral("A FaceDetectorOptions field."),
                                        QStringLiteral("key=value"));
    const QCommandLineOption peopleOption(QStringLiteral("people-option"),
                                          QStringLiteral("A PeopleDetectorOptions field."),
                                          QStringLiteral("key=value"));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("Totals only."));
    const QCommandLineOption nearCheck(
        QStringLiteral("near-check"),
        QStringLiteral("Also search each sample again only around what detect() found there, "
                       "and count what that finds (detectNear() should find the same)."));
    parser.addOptions(
        { width, sampleFps, facesOnly, peopleOnly, faceOption, peopleOption, quiet, nearCheck });
    parser.process(app);
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);

    FaceDetectorOptions faceOptions;
    for (const QString &pair : parser.values(faceOption)) {
        if (!setFaceOption(faceOptions, pair.section(QLatin1Char('='), 0, 0),
                           pair.section(QLatin1Char('='), 1))) {
            std::fprintf(stderr, "unknown face option %s\n", qPrintable(pair));
            return 2;
        }
    }
    PeopleDetectorOptions peopleOptions;
    for (const QString &pair : parser.values(peopleOption)) {
        if (!setPeopleOption(peopleOptions, pair.section(QLatin1Char('='), 0, 0),
                             pair.section(QLatin1Char('='), 1))) {
            std::fprintf(stderr, "unknown people option %s\n", qPrintable(pair));
            return 2;
        }
    }
    FaceDetector faces(QString(), faceOptions);
    PeopleDetector people(peopleOptions);
    const bool runFaces = !parser.isSet(peopleOnly);
    const bool runPeople = !parser.isSet(facesOnly);

    cv::VideoCapture capture(parser.positionalArguments().first().toStdString(), cv::CAP_FFMPEG);
    if (!capture.isOpened()) {
        std::fprintf(stderr, "cannot open the video\n");
        return 1;
    }
    const double fps = capture.get(cv::CAP_PROP_FPS) > 0 ? capture.get(cv::CAP_PROP_FPS) : 25;
    const double interval = 1 / std::max(0.01, parser.value(sampleFps).toDouble());
    const int targetWidth = parser.value(width).toInt();
    cv::Mat frame;
    cv::Mat scaled;
    double nextSample = 0;
    int samples = 0;
    int faceBoxes = 0;
    int peopleBoxes = 0;
    int withFaces = 0;
    int withPeople = 0;
    int nearFaces = 0;
    int nearPeople = 0;
    qint64 faceNs = 0;
    qint64 peopleNs = 0;
    for (int index = 0; capture.read(frame); ++index) {
        const double time = index / fps;
        if (time + 1e-6 < nextSample)
            continue;
        nextSample += interval;
        const int w = std::min(targetWidth, frame.cols) & ~1;
        const int h = std::max(2, int(std::lround(double(frame.rows) * w / frame.cols)) & ~1);
        cv::resize(frame, scaled, cv::Size(w, h), 0, 0, cv::INTER_AREA);
        const FrameView view{ scaled.data, scaled.cols, scaled.rows, int(scaled.step), time };
        QList<Box> f;
        QList<Box> p;
        if (runFaces) {
            const qint64 start = threadCpuNs();
            f = faces.detect(view);
            faceNs += threadCpuNs() - start;
        }
        if (runPeople) {
            const qint64 start = threadCpuNs();
            p = people.detect(view);
            peopleNs += threadCpuNs() - start;
        }
        if (parser.isSet(nearCheck)) {
            nearFaces += runFaces ? int(faces.detectNear(view, f).size()) : 0;
            nearPeople += runPeople ? int(people.detectNear(view, p).size()) : 0;
        }
        ++samples;
        faceBoxes += int(f.size());
        peopleBoxes += int(p.size());
        withFaces += f.isEmpty() ? 0 : 1;
        withPeople += p.isEmpty() ? 0 : 1;
        if (!parser.isSet(quiet)) {
            std::printf("t %7.3f faces %d", time, int(f.size()));
            for (const Box &b : f)
                std::printf(" [%.3f %.3f %.3f %.3f]", b.x, b.y, b.w, b.h);
            std::printf(" people %d", int(p.size()));
            for (const Box &b : p)
                std::printf(" [%.3f %.3f %.3f %.3f]", b.x, b.y, b.w, b.h);
            std::printf("\n");
        }
    }
    const int n = std::max(1, samples);
    std::printf("samples %d faces %d in %d samples %.1f ms/sample people %d in %d samples "
                "%.1f ms/sample (thread CPU)\n",
                samples, faceBoxes, withFaces, faceNs / 1e6 / n, peopleBoxes, withPeople,
                peopleNs / 1e6 / n);
    if (parser.isSet(nearCheck))
        std::printf("near the same frame's boxes: faces %d people %d\n", nearFaces, nearPeople);
    return 0;
}
