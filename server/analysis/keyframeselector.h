#pragma once

#include "server/analysis/analysistypes.h"
#include "server/analysis/framesource.h"

#include <QString>

#include <optional>
#include <vector>

namespace mmv::analysis {

/// A frame kept as a keyframe candidate: the decoded picture by reference, or BGR pixels.
struct KeyframeCandidate
{
    qint64 index = 0;
    double time = 0;
    double quality = 0;
    bool inTransition = false;
    Picture picture; ///< converted only if chosen
    int width = 0;
    int height = 0;
    std::vector<quint8> pixels; ///< BGR, packed rows, width * 3 bytes each (or:)
    Yuv420Image yuv; ///< the picture scaled

    /// Scales the picture to `width` into yuv, width and height, unless there are pixels.
    /// `cache`: see Picture::toYuv420().
    bool materialise(int width, SwsContext **cache = nullptr);
};

/// Picks one representative frame per shot from candidates offered while decoding.
///
/// Candidates are offered before it is known which shot they belong to (shot boundaries are
/// decided a few dozen frames later), so the selector keeps every recent candidate and only
/// the best few of the frames already known to belong to the open shot. quality() rates a
/// frame by sharpness (variance of the Laplacian), exposure and contrast; take() weighs that
/// by closeness to the middle of the shot and skips frames inside transitions, so the
/// keyframe is neither a blurred frame nor the first frame after a fade.
class KeyframeSelector
{
public:
    KeyframeSelector() = default;
    ~KeyframeSelector();
    KeyframeSelector(const KeyframeSelector &) = delete;
    KeyframeSelector &operator=(const KeyframeSelector &) = delete;

    /// Rates the frame, 0..1; cheap enough for a few frames a second.
    static double quality(const FrameView &frame);

    void offer(qint64 index, double quality, const FrameView &image);
    /// Keeps the decoded picture itself: only the chosen one is ever scaled and converted.
    void offer(qint64 index, double time, double quality, const Picture &picture);

    /// Frames in [from, to] are known to belong to the shot still open: keep the best
    /// `keep` of them only.
    void prune(qint64 from, qint64 to, int keep = 3);

    /// The frame turned out to be inside a transition: a candidate there only if no other.
    void markInTransition(qint64 index);

    /// The best candidate of the shot [first, last], or failing that the nearest one; removes
    /// every candidate up to `last`.
    std::optional<KeyframeCandidate> take(qint64 first, qint64 last);

    /// candidate.materialise(width), with a scaler kept from one keyframe to the next.
    bool materialise(KeyframeCandidate &candidate, int width);

    /// Writes the (materialised) candidate as a JPEG file; false with a message on error.
    bool writeJpeg(const KeyframeCandidate &frame, const QString &path,
                   QString *errorMessage = nullptr);

    int size() const { return int(m_candidates.size()); }

private:
    std::vector<KeyframeCandidate> m_candidates; ///< in frame order
    JpegWriter m_jpeg;
    SwsContext *m_scaler = nullptr;
};

} // namespace mmv::analysis
