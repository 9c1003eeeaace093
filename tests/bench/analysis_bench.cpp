// Runs VideoAnalyzer over one file and reports frames/s; used by analysis_bench.sh.
//
//   mmv_analysis_bench [--shots-only] [--verbose] [--json FILE] [--keyframes DIR]
//                      [--sample-fps N] [--detection-width PX] [--analysis-width PX]
//                      [--full-scan-every N] [--decoder-threads N] VIDEO
//
// --shots-only turns off everything AnalysisOptions can turn off (faces, people, audio):
// what remains is shots, keyframes, colours, motion and the outline.

#include "server/analysis/videoanalyzer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <cstdio>

using namespace mmv;
using namespace mmv::analysis;

namespace {

class PrintingSink : public AnalysisSink
{
public:
    explicit PrintingSink(bool verbose)
        : m_verbose(verbose)
    { }

    void progress(double fraction, const QString &stage, double eta) override
    {
        ++progressCalls;
        if (m_verbose)
            std::printf("progress %.3f %s eta %.1f\n", fraction, qPrintable(stage), eta);
    }
    void result(const QString &kind, double start, double end, const QJsonObject &data,
                double confidence) override
    {
        if (!m_verbose)
            return;
        std::printf("%-8s %8.3f %8.3f %.2f %s\n", qPrintable(kind), start, end, confidence,
                    QJsonDocument(data).toJson(QJsonDocument::Compact).left(300).constData());
    }
    void content(const QString &kind, const QJsonArray &segments) override
    {
        if (m_verbose)
            std::printf(
                "%-8s %s\n", qPrintable(kind),
                QJsonDocument(segments).toJson(QJsonDocument::Compact).left(400).constData());
    }
    bool isCancelled() const override { return false; }

    int progressCalls = 0;

private:
    bool m_verbose;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("video"), QStringLiteral("The file to analyse."));
    const QCommandLineOption shotsOnly(QStringLiteral("shots-only"),
                                       QStringLiteral("No faces, people or audio."));
    const QCommandLineOption verbose(QStringLiteral("verbose"), QStringLiteral("Print results."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Write the document."),
                                  QStringLiteral("file"));
    const QCommandLineOption keyframes(QStringLiteral("keyframes"),
                                       QStringLiteral("Keyframe directory (default: temporary)."),
                                       QStringLiteral("dir"));
    const QCommandLineOption sampleFps(QStringLiteral("sample-fps"),
                                       QStringLiteral("Detector samples per second."),
                                       QStringLiteral("n"));
    const QCommandLineOption detectionWidth(QStringLiteral("detection-width"),
                                            QStringLiteral("Width of the detector frames."),
                                            QStringLiteral("px"));
    const QCommandLineOption analysisWidth(QStringLiteral("analysis-width"),
                                           QStringLiteral("Width of the analysis frames."),
                                           QStringLiteral("px"));
    const QCommandLineOption fullScanEvery(QStringLiteral("full-scan-every"),
                                           QStringLiteral("Search every n-th sample whole."),
                                           QStringLiteral("n"));
    const QCommandLineOption decoderThreads(
        QStringLiteral("decoder-threads"),
        QStringLiteral("Threads of the video decoder (default: chosen by the analysis)."),
        QStringLiteral("n"));
    parser.addOptions({ shotsOnly, verbose, json, keyframes, sampleFps, detectionWidth,
                        analysisWidth, fullScanEvery, decoderThreads });
    parser.process(app);
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);

    AnalysisOptions options;
    if (parser.isSet(sampleFps))
        options.sampleFps = parser.value(sampleFps).toDouble();
    if (parser.isSet(detectionWidth))
        options.detectionWidth = parser.value(detectionWidth).toInt();
    if (parser.isSet(fullScanEvery))
        options.fullScanEvery = parser.value(fullScanEvery).toInt();
    if (parser.isSet(analysisWidth))
        options.analysisWidth = parser.value(analysisWidth).toInt();
    if (parser.isSet(decoderThreads))
        options.decoderThreads = parser.value(decoderThreads).toInt();
    if (parser.isSet(shotsOnly)) {
        options.detectFaces = false;
        options.detectPeople = false;
        options.analyzeAudio = false;
    }
    QTemporaryDir temporary;
    const QString keyframeDir = parser.isSet(keyframes) ? parser.value(keyframes)
                                                        : temporary.filePath(QStringLiteral("k"));
    QDir().mkpath(keyframeDir);
    PrintingSink sink(parser.isSet(verbose));
    QElapsedTimer clock;
    clock.start();
    const Result<QJsonObject> result
        = VideoAnalyzer(options).run(parser.positionalArguments().first(), keyframeDir, sink);
    const double seconds = clock.nsecsElapsed() / 1e9;
    if (!result) {
        std::fprintf(stderr, "error: %s: %s\n", qPrintable(result.error().codeName()),
                     qPrintable(result.error().message));
        return 1;
    }
    const QJsonObject document = result.value();
    if (parser.isSet(json)) {
        QFile file(parser.value(json));
        if (file.open(QIODevice::WriteOnly))
            file.write(QJsonDocument(document).toJson());
    }
    const double open = document.value(QStringLiteral("timings"))
                            .toObject()
                            .value(QStringLiteral("open_s"))
                            .toDouble();
    const qint64 frames = document.value(QStringLiteral("video"))
                              .toObject()
                              .value(QStringLiteral("frames"))
                              .toInteger();
    const QJsonObject timings = document.value(QStringLiteral("timings")).toObject();
    std::printf("frames %lld seconds %.4f fps %.1f open %.4f shots %lld segments %lld "
                "progress_calls %d decoding_cpu %.4f analysis_cpu %.4f\n",
                frames, seconds, frames / seconds, open,
                qint64(document.value(QStringLiteral("shots")).toArray().size()),
                qint64(document.value(QStringLiteral("outline")).toArray().size()),
                sink.progressCalls,
                timings.value(QStringLiteral("decoding_thread_cpu_s")).toDouble(),
                timings.value(QStringLiteral("analysis_thread_cpu_s")).toDouble());
    return 0;
}
