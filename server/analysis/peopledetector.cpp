#include "server/analysis/peopledetector.h"

#include "server/core/logging.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace mmv::analysis {

namespace {

// Greedy non-maximum suppression over grouped HOG hits: the best-weighted box of each
// overlapping group survives. Also drops a box mostly inside a better one, which grouping
// keeps (a large window around a person, or a person-sized part of a tree).
std::vector<size_t> suppressOverlaps(const std::vector<cv::Rect> &rects,
                                     const std::vector<double> &weights, double minWeight)
{
    std::vector<size_t> order(rects.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::sort(order.begin(), order.end(),
              [&weights](size_t a, size_t b) { return weights[a] > weights[b]; });
    std::vector<size_t> kept;
    for (const size_t i : order) {
        if (weights[i] < minWeight)
            break;
        const bool overlaps = std::any_of(kept.begin(), kept.end(), [&](size_t k) {
            const double inter = (rects[i] & rects[k]).area();
            const double smaller = std::min(rects[i].area(), rects[k].area());
            const double uni = rects[i].area() + rects[k].area() - inter;
            return inter > 0.4 * uni || inter > 0.7 * smaller;
        });
        if (!overlaps)
            kept.push_back(i);
    }
    return kept;
}

} // namespace

struct PeopleDetector::Private
{
    PeopleDetectorOptions options;
    cv::HOGDescriptor hog;
    cv::Mat resized;
};

PeopleDetector::PeopleDetector(const PeopleDetectorOptions &options)
    : d(std::make_unique<Private>())
{
    d->options = options;
    d->options.winStride = std::clamp(options.winStride, 1, 64);
    d->options.scaleFactor = std::max(1.01, options.scaleFactor);
    d->hog.setSVMDetector(cv::HOGDescriptor::getDefaultPeopleDetector());
}

PeopleDetector::~PeopleDetector() = default;
PeopleDetector::PeopleDetector(PeopleDetector &&other) noexcept = default;
PeopleDetector &PeopleDetector::operator=(PeopleDetector &&other) noexcept = default;

QList<Box> PeopleDetector::detect(const FrameView &frame)
{
    if (!d || !frame.data || frame.width <= 0 || frame.height <= 0
        || frame.stride < frame.width * 3)
        return {};
    const PeopleDetectorOptions &options = d->options;

    try {
        const cv::Mat bgr(frame.height, frame.width, CV_8UC3, const_cast<quint8 *>(frame.data),
                          size_t(frame.stride));
        cv::Mat image = bgr;
        if (options.maxWidth > 0 && frame.width > options.maxWidth) {
            const int height = std::max(1, frame.height * options.maxWidth / frame.width);
            cv::resize(bgr, d->resized, cv::Size(options.maxWidth, height), 0, 0, cv::INTER_AREA);
            image = d->resized;
        }
        const cv::Size window = d->hog.winSize;
        if (image.cols < window.width || image.rows < window.height)
            return {};

        std::vector<cv::Rect> rects;
        std::vector<double> weights;
        d->hog.detectMultiScale(image, rects, weights, 0.0,
                                cv::Size(options.winStride, options.winStride), cv::Size(),
                                options.scaleFactor, options.groupThreshold, false);

        const double width = image.cols;
        const double height = image.rows;
        QList<Box> boxes;
        for (const size_t i : suppressOverlaps(rects, weights, options.minWeight)) {
            // The 64x128 window frames the body with a margin of ~8 px on the sides and
            // ~16 px above and below; report the body (as OpenCV's peopledetect sample does).
            cv::Rect r = rects[i];
            r.x += int(std::lround(r.width * 0.1));
            r.width = int(std::lround(r.width * 0.8));
            r.y += int(std::lround(r.height * 0.07));
            r.height = int(std::lround(r.height * 0.8));
            r &= cv::Rect(0, 0, image.cols, image.rows);
            if (r.empty())
                continue;
            boxes.append(Box{ r.x / width, r.y / height, r.width / width, r.height / height,
                              1.0 - std::exp(-weights[i]) });
        }
        return boxes;
    } catch (const cv::Exception &e) {
        qCWarning(lcAnalysis) << "people detection failed:" << e.what();
        return {};
    }
}

} // namespace mmv::analysis
