#pragma once

#include "server/analysis/analysistypes.h"

#include <QString>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace mmv::analysis {

struct ShotDetectorOptions
{
    double fps = 25; ///< scales the transition windows; 0 or less means 25
    /// A frame whose content change is this many times the change around it is a cut
    /// (PySceneDetect's AdaptiveDetector uses 3 over two frames each side).
    double cutRatio = 3.0;
    /// ... and whose change is at least this (HSV content value, 0..255, mean of the H, S
    /// and V differences as in PySceneDetect's ContentDetector).
    double minCutContent = 12.0;
    /// A gradual transition changes the picture by at least this much from end to end
    /// (mean absolute BGR difference of thumbnails, 0..255).
    double minGradualChange = 20.0;
    /// ... and every frame inside it is a linear blend of its two ends to within this share
    /// of that change.
    double blendTolerance = 0.10;
};

/// A transition between two shots, or at the very start or end of the video (then only
/// its frames are marked, no boundary is reported).
struct ShotTransition
{
    enum class Kind { Cut, Fade, Dissolve };

    Kind kind = Kind::Cut;
    qint64 frame = 0; ///< the first frame of the new shot
    double time = 0; ///< its time
    qint64 firstFrame = 0; ///< frames in the transition: [firstFrame, lastFrame], empty for a cut
    qint64 lastFrame = -1;
    double startTime = 0; ///< time span of those frames (== time for a cut)
    double endTime = 0;
    double score = 0; ///< content change across the transition, 0..1 (like ffmpeg's scene score)
    double confidence = 0; ///< 0..1

    static QString kindName(Kind kind);
};

/// One analysed frame as the detector releases it, in order, once every transition up to it
/// is decided. The thumbnail is BGR, about 36 pixels wide; valid during the callback only.
struct ShotFrame
{
    qint64 index = 0;
    double time = 0;
    double brightness = 0; ///< mean HSV value, 0..1
    double contrast = 0; ///< standard deviation of the value channel, 0..1
    double motion = 0; ///< mean absolute HSV difference to the previous frame, 0..1
    bool blank = false; ///< black or white and flat: the middle of a fade
    bool inTransition = false;
    const quint8 *thumbnail = nullptr;
    int thumbnailWidth = 0;
    int thumbnailHeight = 0;
    int thumbnailStride = 0;
};

/// Finds shot boundaries in a stream of frames, in one pass and with a bounded delay
/// (about 2 x 32 frames at 30 fps, longer while a black stretch may still be a fade).
///
/// Hard cuts: the HSV content value between consecutive frames (PySceneDetect's
/// ContentDetector) against the change of the two frames on each side (its AdaptiveDetector),
/// so that steady fast motion does not read as cuts; a flash (an odd frame, then back) is two
/// changes that cancel out, and is not a cut.
/// Gradual transitions: windows of 4 to 64 frames whose inner frames are linear blends of
/// their two ends while the ends differ a lot. A dissolve is exactly that, a fade is a blend
/// with black or white, and motion does not fit a blend. When the shots move during the
/// dissolve, a looser fit still counts if the colours change a lot and the picture reduced to
/// 8 pixels across, where the motion is below a pixel, is a blend. Overlapping windows form one
/// transition whose extent comes from projecting each frame on the line between its ends; a
/// fade out, a black (or white) stretch and a fade in or a cut are merged into one "fade". A
/// transition is reported at its middle frame.
///
/// push() each frame; transitions and frames come out through the handlers, a transition
/// before the first frame of its new shot; finish() flushes everything.
class ShotDetector
{
public:
    using TransitionHandler = std::function<void(const ShotTransition &)>;
    using FrameHandler = std::function<void(const ShotFrame &)>;

    explicit ShotDetector(ShotDetectorOptions options = {});
    ~ShotDetector();
    ShotDetector(const ShotDetector &) = delete;
    ShotDetector &operator=(const ShotDetector &) = delete;

    void setTransitionHandler(TransitionHandler handler);
    void setFrameHandler(FrameHandler handler);

    /// The frames must come in order, indexes counting from 0 without gaps.
    void push(const FrameView &frame, qint64 index);
    void finish();

    /// Whether the frame pushed last changed as much as a cut would, judged on the frames
    /// before it only (the detector decides later): it may be the first of a new shot.
    bool lastMayStartShot() const;
    /// Whether the frame pushed last was black or white and flat.
    bool lastBlank() const;
    /// Frames the detector looks ahead before it settles a frame's shot (gradual transitions
    /// are judged on windows around it): the recent frames whose shot may still change.
    int decisionDelay() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mmv::analysis
