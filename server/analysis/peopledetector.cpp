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

// Where the body lies in the detector's window (see Private::boxes()).
constexpr double kBodyLeft = 0.1;
constexpr double kBodyTop = 0.07;
constexpr double kBodyShare = 0.8;

struct PeopleDetector::Private
{
    bool prepare(const FrameView &frame);
    /// Runs the detector over `roi` of `image`, first shrunk by `shrink` when it is above 1,
    /// and adds the grouped hits in `image` coordinates.
    void scan(const cv::Rect &roi, double shrink, std::vector<cv::Rect> &rects,
              std::vector<double> &weights);
    QList<Box> boxes(const std::vector<cv::Rect> &rects, const std::vector<double> &weights) const;

    PeopleDetectorOptions options;
    cv::HOGDescriptor hog;
    cv::Mat resized;
    cv::Mat scaled;
    cv::Mat image; ///< the frame being searched, maybe `resized`
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

bool PeopleDetector::Private::prepare(const FrameView &frame)
{
    if (!frame.data || frame.width <= 0 || frame.height <= 0 || frame.stride < frame.width * 3)
        return false;
    const cv::Mat bgr(frame.height, frame.width, CV_8UC3, const_cast<quint8 *>(frame.data),
                      size_t(frame.stride));
    image = bgr;
    if (options.maxWidth > 0 && frame.width > options.maxWidth) {
        const int height = std::max(1, frame.height * options.maxWidth / frame.width);
        cv::resize(bgr, resized, cv::Size(options.maxWidth, height), 0, 0, cv::INTER_AREA);
        image = resized;
    }
    return image.cols >= hog.winSize.width && image.rows >= hog.winSize.height;
}

void PeopleDetector::Private::scan(const cv::Rect &roi, double shrink, std::vector<cv::Rect> &rects,
                                   std::vector<double> &weights)
{
    cv::Mat part = image(roi);
    if (shrink > 1) {
        cv::resize(
            part, scaled,
            cv::Size(std::max(1, int(part.cols / shrink)), std::max(1, int(part.rows / shrink))), 0,
            0, cv::INTER_AREA);
        part = scaled;
    }
    if (part.cols < hog.winSize.width || part.rows < hog.winSize.height)
        return;
    std::vector<cv::Rect> found;
    std::vector<double> foundWeights;
    hog.detectMultiScale(part, found, foundWeights, 0.0,
                         cv::Size(options.winStride, options.winStride), cv::Size(),
                         options.scaleFactor, options.groupThreshold, false);
    const double fx = double(roi.width) / part.cols;
    const double fy = double(roi.height) / part.rows;
    for (size_t i = 0; i < found.size(); ++i) {
        const cv::Rect &r = found[i];
        rects.emplace_back(roi.x + int(std::lround(r.x * fx)), roi.y + int(std::lround(r.y * fy)),
                           int(std::lround(r.width * fx)), int(std::lround(r.height * fy)));
        weights.push_back(foundWeights[i]);
    }
}

QList<Box> PeopleDetector::Private::boxes(const std::vector<cv::Rect> &rects,
                                          const std::vector<double> &weights) const
{
    const double width = image.cols;
    const double height = image.rows;
    QList<Box> result;
    for (const size_t i : suppressOverlaps(rects, weights, options.minWeight)) {
        // The 64x128 window frames the body with a margin of ~8 px on the sides and
        // ~16 px above and below; report the body (as OpenCV's peopledetect sample does).
        cv::Rect r = rects[i];
        r.x += int(std::lround(r.width * kBodyLeft));
        r.width = int(std::lround(r.width * kBodyShare));
        r.y += int(std::lround(r.height * kBodyTop));
        r.height = int(std::lround(r.height * kBodyShare));
        r &= cv::Rect(0, 0, image.cols, image.rows);
        if (r.empty())
            continue;
        result.append(Box{ r.x / width, r.y / height, r.width / width, r.height / height,
                           1.0 - std::exp(-weights[i]) });
    }
    return result;
}

QList<Box> PeopleDetector::detect(const FrameView &frame)
{
    if (!d)
        return {};
    try {
        if (!d->prepare(frame))
            return {};
        std::vector<cv::Rect> rects;
        std::vector<double> weights;
        d->scan(cv::Rect(0, 0, d->image.cols, d->image.rows), 1, rects, weights);
        return d->boxes(rects, weights);
    } catch (const cv::Exception &e) {
        qCWarning(lcAnalysis) << "people detection failed:" << e.what();
        return {};
    }
}

QList<Box> PeopleDetector::detectNear(const FrameView &frame, const QList<Box> &previous)
{
    if (!d || previous.isEmpty())
        return {};
    const PeopleDetectorOptions &options = d->options;
    try {
        if (!d->prepare(frame))
            return {};
        const cv::Rect whole(0, 0, d->image.cols, d->image.rows);
        std::vector<cv::Rect> rects;
        std::vector<double> weights;
        for (const Box &box : previous) {
            // Back from the body to the detector's window around it.
            const double windowWidth = box.w * whole.width / kBodyShare;
            const double windowHeight = box.h * whole.height / kBodyShare;
            const double x = box.x * whole.width - kBodyLeft * windowWidth;
            const double y = box.y * whole.height - kBodyTop * windowHeight;
            const double mx = options.trackMarginX * windowWidth;
            const double my = options.trackMarginY * windowHeight;
            const cv::Rect roi = cv::Rect(int(std::floor(x - mx)), int(std::floor(y - my)),
                                          int(std::ceil(windowWidth + 2 * mx)),
                                          int(std::ceil(windowHeight + 2 * my)))
                & whole;
            if (roi.empty())
                continue;
            // The smallest size searched is the previous one shrunk by trackSizeChange: scale
            // the region so that it is the detector's own window size.
            const double shrink = windowHeight / options.trackSizeChange / d->hog.winSize.height;
            d->scan(roi, shrink, rects, weights);
        }
        return d->boxes(rects, weights);
    } catch (const cv::Exception &e) {
        qCWarning(lcAnalysis) << "people detection failed:" << e.what();
        return {};
    }
}

} // namespace mmv::analysis
