#pragma once

#include "server/core/apperror.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

// The contract between the analysis engine (VideoAnalyzer and its detectors, which run in
// a worker thread) and the job runner that publishes what it finds. No FFmpeg or OpenCV
// types appear here.

namespace mmv::analysis {

/// A decoded frame, 8-bit BGR, owned by the caller and valid during the call only.
struct FrameView
{
    const quint8 *data = nullptr;
    int width = 0;
    int height = 0;
    int stride = 0; ///< bytes per row
    double time = 0; ///< seconds from the start of the video
};

/// A detection box in normalised coordinates: x, y, w, h within [0, 1] of the frame.
struct Box
{
    double x = 0;
    double y = 0;
    double w = 0;
    double h = 0;
    double score = 0;
};

struct AnalysisOptions
{
    double sampleFps = 2.0; ///< frames per second given to the face and people detectors
    /// Width of the frame the shot boundaries, colours, motion and keyframe ranking are
    /// computed on (never upscaled; the height keeps the display aspect). Every decoded frame
    /// is scaled to it, so it sets most of the analysis's own cost per frame.
    int analysisWidth = 160;
    int detectionWidth = 640; ///< width of the frames given to the detectors
    /// Faces and people: a sample in `fullScanEvery` is searched whole while whole searches keep
    /// finding new ones, up to one in 3 x fullScanEvery while they do not (and the first after a
    /// cut always); the samples between only around what the sample before found, which follows
    /// the tracks at a fraction of the cost (DetectionWorker). 1: every sample whole.
    int fullScanEvery = 2;
    bool detectFaces = true;
    bool detectPeople = true;
    bool analyzeAudio = true;
    int decoderThreads = 0; ///< 0: one per core
};

/// Receives what the analyzer finds, in the analysing thread, as soon as it is found.
///
/// Result kinds and their `data` (times in seconds; `keyframe` is the index n of the JPEG
/// written as <keyframeDir>/<n>.jpg, the runner adds the URL):
///   "shot"     {index, transition: "cut"|"fade"|"dissolve"|"start", score, keyframe}
///   "keyframe" {shot, time, keyframe, width, height}
///   "faces"    {shot, count, max_count, tracks: [{id, start, end, boxes: [{t,x,y,w,h}]}]}
///   "people"   same shape as faces
///   "colors"   {shot, dominant: [{hex, share}], brightness (0-1)}
///   "motion"   {shot, intensity (0-1)}
///   "audio"    {loudness: [{t, db}]} in chunks, and "silence" {start, end}
/// Content kinds: "segment" (a new segment closed), "outline" (the outline so far),
/// "summary" (the final outline); segments are [{index, start, end, title, keyframe}].
class AnalysisSink
{
public:
    virtual ~AnalysisSink() = default;
    /// Progress of the whole analysis, 0..1, with the stage ("decoding", "audio",
    /// "outline"...) and an ETA in seconds (-1 when unknown). Called at a bounded rate
    /// (about every 1 % or 500 ms).
    virtual void progress(double fraction, const QString &stage, double etaSeconds) = 0;
    /// A visual_analysis_result body; `end` and `confidence` < 0 mean none.
    virtual void result(const QString &kind, double start, double end, const QJsonObject &data,
                        double confidence)
        = 0;
    /// A content_analysis_update body.
    virtual void content(const QString &kind, const QJsonArray &segments) = 0;
    /// Polled often (at least every ~100 ms of work); true stops the analysis promptly.
    virtual bool isCancelled() const = 0;
};

} // namespace mmv::analysis
