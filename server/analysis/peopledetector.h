#pragma once

#include "server/analysis/analysistypes.h"

#include <QList>

#include <memory>

namespace mmv::analysis {

/// Tuning of PeopleDetector, measured on vtest.avi at 640x480 and on photos without people
/// (tests/unit/tst_detectors.cpp).
struct PeopleDetectorOptions
{
    /// Step between the sizes searched. The detector's window is 64x128 px, so people shorter
    /// than ~100 px in the (downscaled) frame are not found; most of the cost is in the first
    /// sizes, so a coarse step costs little recall.
    double scaleFactor = 1.2;
    /// Window step in pixels, a divisor of the 8 px HOG cell so that the cells are shared.
    /// 4 finds small people that 8 misses, at about the cost of 8 with a finer scale step.
    int winStride = 4;
    /// Raw window hits a person needs before it is reported (OpenCV's finalThreshold).
    int groupThreshold = 1;
    /// SVM margin a grouped hit needs.
    double minWeight = 0.3;
    /// Wider frames are downscaled to this width first, to bound the cost.
    int maxWidth = 640;
};

/// Finds upright people in 8-bit BGR frames with OpenCV's HOG + linear SVM people detector
/// (HOGDescriptor::getDefaultPeopleDetector()). Overlapping hits are merged (non-maximum
/// suppression, also removing boxes mostly inside a better one), and the boxes are shrunk from
/// the detector's padded window to the body.
///
/// detect() answers boxes in normalised frame coordinates with a score in [0, 1) that grows
/// with the SVM margin (a ranking, not a probability).
///
/// Construction is cheap. An instance keeps scratch buffers: use it from one thread at a time
/// and create one per worker.
class PeopleDetector
{
public:
    explicit PeopleDetector(const PeopleDetectorOptions &options = {});
    ~PeopleDetector();
    PeopleDetector(PeopleDetector &&other) noexcept;
    PeopleDetector &operator=(PeopleDetector &&other) noexcept;

    QList<Box> detect(const FrameView &frame);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mmv::analysis
