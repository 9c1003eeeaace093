#pragma once

#include "server/analysis/analysistypes.h"

#include <QJsonObject>
#include <QString>

namespace mmv::analysis {

/// The synchronous analysis engine: one pass over one video file, in the calling thread.
///
/// Demuxes and decodes video and audio once (a helper thread decodes ahead), and feeds the
/// shot detector, keyframe selection, colour, motion and audio statistics, and — off the
/// decoding path, on sampled frames — the face and people detectors. Results go to the sink
/// as soon as they are final: each shot with its keyframe, colours and motion when it closes,
/// its faces and people when their detections are in, the outline as it grows, loudness in
/// chunks, silences when they end, and progress at a bounded rate.
///
/// Frames are scaled once, to AnalysisOptions::analysisWidth (160 by default: the shot score
/// works on about 160 pixels across, see ShotDetector), for everything but the detectors, which
/// get their own copy at detectionWidth.
/// Keyframes are written at detectionWidth (never upscaled).
///
/// run() returns the full result document, {"schema": 1, "video", "options", "shots",
/// "audio", "outline", "timings"}, or an error: UnsupportedMediaType for a file that cannot
/// be read ("truncated or corrupt file: ..."), NotFound, Internal (e.g. a keyframe that
/// cannot be written), Conflict "cancelled" when the sink asked to stop.
class VideoAnalyzer
{
public:
    explicit VideoAnalyzer(AnalysisOptions options = {});

    /// Writes keyframes as <keyframeDir>/<n>.jpg (the directory is created if needed, its
    /// parent must exist).
    Result<QJsonObject> run(const QString &path, const QString &keyframeDir, AnalysisSink &sink);

private:
    AnalysisOptions m_options;
};

} // namespace mmv::analysis
