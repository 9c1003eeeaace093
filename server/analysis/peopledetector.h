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
    /// sizes, so a coarse step costs little recall: 1.3 finds as many people in vtest.avi as
    /// 1.2 did (95 % of samples), for two thirds of the time.
    double scaleFactor = 1.3;
    /// Window step in pixels, a divisor of the 8 px HOG cell so that the cells are shared.
    /// 4 finds small people that 8 misses, at about the cost of 8 with a finer scale step.
    int winStride = 4;
    /// Raw window hits a person needs before it is reported (OpenCV's finalThreshold).
    int groupThreshold = 1;
    /// SVM margin a grouped hit needs.
    double minWeight = 0.3;
    /// Wider frames are downscaled to this width first, to bound the cost.
    int maxWidth = 640;
    /// detectNear(): how far around a previous person to search, in widths of the detector's
    /// window to each side (someone walking across moves ~1.4 body widths between two samples
    /// half a second apart) and in window heights up and down...
    double trackMarginX = 1.5;
    double trackMarginY = 0.25;
    /// ... and how much larger or smaller the person may have become.
    double trackSizeChange = 1.5;
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
    /// Looks for people only around `previous` (boxes found in an earlier sample, normalised),
    /// with the same thresholds as detect(), for people of about their size. A fraction of the
    /// cost of detect() when the people are few; finds no new ones far from them. No previous
    /// boxes: no boxes.
    QList<Box> detectNear(const FrameView &frame, const QList<Box> &previous);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mmv::analysis
