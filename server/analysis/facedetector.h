#pragma once

#include "server/analysis/analysistypes.h"

#include <QList>
#include <QString>

#include <memory>

namespace mmv::analysis {

/// Tuning of FaceDetector. The defaults were measured on real photos and on the sample videos
/// (tests/unit/tst_detectors.cpp): no false positives there, about 90 ms of one core per
/// 640x360 frame, a third of it for frontal faces.
struct FaceDetectorOptions
{
    /// Smallest face looked for, as a fraction of the frame's shorter side. Smaller faces are
    /// background figures for a shot summary, they bring most false positives, and halving
    /// this roughly quadruples the cost.
    double minFaceFraction = 0.1;
    /// The same for profiles. The profile cascade costs three times the frontal one at the
    /// same size; turned heads matter in close-ups and medium shots, where faces are large.
    double profileMinFaceFraction = 0.15;
    /// Step between the sizes searched (OpenCV's scaleFactor).
    double scaleFactor = 1.2;
    /// Neighbouring hits a frontal or profile face needs; the profile cascade is less
    /// specific, so it needs more.
    int frontalMinNeighbors = 4;
    int profileMinNeighbors = 7;
    bool frontal = true;
    bool profiles = true;
    /// Wider frames are downscaled to this width first, to bound the cost.
    int maxWidth = 640;
    /// Width of the frame each cascade searches (never upscaled; 0: maxWidth). At 320 pixels
    /// the smallest profile searched maps to about 1.4 times the cascade's 20-pixel window, a
    /// scale at which OpenCV tries every other position; at 640 it needs scales past 2, where
    /// OpenCV tries every position: the same search (grid 4 instead of 3 px in 640-pixel terms)
    /// for 60 % of the cost, and the same boxes on the test stills and Megamind.avi. The frontal
    /// cascade stays at full width: at 480 or less it loses faces near the minimum size
    /// (messi5.jpg's player, 44 px wide at 640).
    int frontalWidth = 0;
    int profileWidth = 320;
    /// detectNear(): how far around a previous face to search, in face sizes on each side
    /// (a face moves well under one face size between two samples half a second apart)...
    double trackMargin = 1.0;
    /// ... and how much larger or smaller it may have become.
    double trackSizeChange = 1.6;
};

/// Finds faces in 8-bit BGR frames with OpenCV's Haar cascades from opencv-data: the frontal
/// cascade (haarcascade_frontalface_alt2.xml) on the frame, and the profile cascade
/// (haarcascade_profileface.xml), which knows one side only, on the frame and on its mirror
/// image. Hits of the three passes that overlap are merged into one box per face.
///
/// detect() answers boxes in normalised frame coordinates with a score in [0, 1) that grows
/// with the number of neighbouring hits the cascade merged (a ranking, not a probability).
///
/// The cascades are read from `cascadeDir` if given, else from $MMV_CASCADE_DIR, else from the
/// opencv-data directory found at build time. When a file is missing, isReady() is false,
/// errorString() says which, and detect() answers no boxes.
///
/// Loading takes ~20 ms. An instance keeps scratch buffers: use it from one thread at a time
/// and create one per worker.
class FaceDetector
{
public:
    explicit FaceDetector(const QString &cascadeDir = QString(),
                          const FaceDetectorOptions &options = {});
    ~FaceDetector();
    FaceDetector(FaceDetector &&other) noexcept;
    FaceDetector &operator=(FaceDetector &&other) noexcept;

    bool isReady() const;
    QString errorString() const;
    /// The directory the cascades were looked for in.
    QString cascadeDir() const;

    /// The whole frame. `profiles` false: the frontal pass only (the two profile passes cost
    /// about as much again).
    QList<Box> detect(const FrameView &frame, bool profiles = true);
    /// Looks for faces only around `previous` (boxes found in an earlier sample, normalised),
    /// with every pass of detect() and the same thresholds, for faces of about their size.
    /// A fraction of the cost of detect() when the faces are few; finds no new ones far from
    /// them. No previous boxes: no boxes.
    QList<Box> detectNear(const FrameView &frame, const QList<Box> &previous);

    /// $MMV_CASCADE_DIR if set, else the directory found at build time.
    static QString defaultCascadeDir();

private:
    bool usable(const FrameView &frame) const;

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mmv::analysis
