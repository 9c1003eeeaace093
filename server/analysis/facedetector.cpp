#include "server/analysis/facedetector.h"

#include "server/core/logging.h"

#include <QDir>
#include <QFileInfo>
#include <QStringList>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#ifndef MMV_CASCADE_DIR
#define MMV_CASCADE_DIR "/usr/share/opencv4/haarcascades"
#endif

namespace mmv::analysis {

namespace {

const QString FrontalCascade = QStringLiteral("haarcascade_frontalface_alt2.xml");
const QString ProfileCascade = QStringLiteral("haarcascade_profileface.xml");

struct Candidate
{
    cv::Rect rect;
    double score = 0;
};

// Neighbour counts start at minNeighbors and reach ~20-60 on clear faces; this maps them to
// [0, 1) without a cliff.
double scoreFromNeighbours(int neighbours)
{
    return 1.0 - std::exp(-neighbours / 10.0);
}

// Greedy non-maximum suppression: the best-scored box of each overlapping group survives. A
// box mostly inside another (a profile hit on a frontal face, or a face within a face) counts
// as overlapping even when the IoU is low.
std::vector<Candidate> suppressOverlaps(std::vector<Candidate> candidates)
{
    std::sort(candidates.begin(), candidates.end(),
              [](const Candidate &a, const Candidate &b) { return a.score > b.score; });
    std::vector<Candidate> kept;
    for (const Candidate &candidate : candidates) {
        const bool overlaps
            = std::any_of(kept.begin(), kept.end(), [&candidate](const Candidate &other) {
                  const double inter = (candidate.rect & other.rect).area();
                  const double smaller = std::min(candidate.rect.area(), other.rect.area());
                  const double uni = candidate.rect.area() + other.rect.area() - inter;
                  return inter > 0.3 * uni || inter > 0.5 * smaller;
              });
        if (!overlaps)
            kept.push_back(candidate);
    }
    return kept;
}

} // namespace

struct FaceDetector::Private
{
    FaceDetectorOptions options;
    QString dir;
    QString error;
    cv::CascadeClassifier frontal;
    cv::CascadeClassifier profile;
    cv::Mat resized;
    cv::Mat gray; ///< the frame, grey and equalised, at most maxWidth wide: boxes refer to it
    cv::Mat frontalGray; ///< `gray` at frontalWidth
    cv::Mat profileGray; ///< `gray` at profileWidth
    cv::Mat mirrored;

    bool load(cv::CascadeClassifier &cascade, const QString &name)
    {
        const QString path = QDir(dir).filePath(name);
        if (!QFileInfo::exists(path)) {
            error = QStringLiteral("face cascade not found: %1 (install opencv-data or set "
                                   "MMV_CASCADE_DIR)")
                        .arg(path);
            return false;
        }
        try {
            if (cascade.load(path.toStdString()) && !cascade.empty())
                return true;
        } catch (const cv::Exception &e) {
            qCWarning(lcAnalysis) << "loading" << path << "failed:" << e.what();
        }
        error = QStringLiteral("face cascade unreadable: %1").arg(path);
        return false;
    }

    /// One cascade over `roi` of `image` (a copy of `gray` scaled by `scale`), adding the hits
    /// in `gray` coordinates.
    void detect(cv::CascadeClassifier &cascade, const cv::Mat &image, double scale,
                const cv::Rect &roi, int minNeighbours, int minSize, int maxSize,
                bool mirroredImage, std::vector<Candidate> &out)
    {
        cv::Mat part = image(roi);
        if (mirroredImage) {
            cv::flip(part, mirrored, 1);
            part = mirrored;
        }
        std::vector<cv::Rect> rects;
        std::vector<int> neighbours;
        cascade.detectMultiScale(part, rects, neighbours, options.scaleFactor, minNeighbours, 0,
                                 cv::Size(minSize, minSize),
                                 maxSize > 0 ? cv::Size(maxSize, maxSize) : cv::Size());
        for (size_t i = 0; i < rects.size(); ++i) {
            cv::Rect r = rects[i];
            if (mirroredImage)
                r.x = part.cols - r.x - r.width;
            r += roi.tl();
            const cv::Rect rect(int(std::lround(r.x / scale)), int(std::lround(r.y / scale)),
                                int(std::lround(r.width / scale)),
                                int(std::lround(r.height / scale)));
            out.push_back({ rect, scoreFromNeighbours(neighbours[i]) });
        }
    }

    /// The passes of one cascade (`mirrored` too: the profile cascade knows one side only)
    /// over `roi` of `gray`, on `image`, for faces between the sizes given in `gray` pixels
    /// (the options' minimum still applies; maxSize 0: no limit).
    void pass(cv::CascadeClassifier &cascade, const cv::Mat &image, double minFraction,
              int minNeighbours, bool bothSides, const cv::Rect &roi, int minSize, int maxSize,
              std::vector<Candidate> &out)
    {
        const double scale = double(image.cols) / gray.cols;
        const cv::Rect scaledRoi
            = cv::Rect(
                  cv::Point(int(std::floor(roi.x * scale)), int(std::floor(roi.y * scale))),
                  cv::Point(int(std::ceil(roi.br().x * scale)), int(std::ceil(roi.br().y * scale))))
            & cv::Rect(0, 0, image.cols, image.rows);
        // The cascades' own windows are 20x20; nothing smaller can be found.
        const int shorterSide = std::min(image.cols, image.rows);
        const int smallest = std::max(
            { 20, int(std::lround(minFraction * shorterSide)), int(std::floor(minSize * scale)) });
        const int largest = maxSize > 0 ? int(std::ceil(maxSize * scale)) : 0;
        if (scaledRoi.empty() || smallest > std::min(scaledRoi.width, scaledRoi.height)
            || (largest > 0 && smallest > largest))
            return;
        detect(cascade, image, scale, scaledRoi, minNeighbours, smallest, largest, false, out);
        if (bothSides)
            detect(cascade, image, scale, scaledRoi, minNeighbours, smallest, largest, true, out);
    }

    /// Every pass over `roi` of the prepared grey frame (the profile passes if `profiles`).
    void detectIn(const cv::Rect &roi, int minSize, int maxSize, bool profiles,
                  std::vector<Candidate> &out)
    {
        if (options.frontal)
            pass(frontal, frontalGray, options.minFaceFraction, options.frontalMinNeighbors, false,
                 roi, minSize, maxSize, out);
        if (options.profiles && profiles)
            pass(profile, profileGray, options.profileMinFaceFraction, options.profileMinNeighbors,
                 true, roi, minSize, maxSize, out);
    }

    /// `gray` shrunk to `width` (area averaging) into `target`, or `gray` itself when narrower.
    void shrinkTo(int width, cv::Mat &target) const
    {
        if (width <= 0 || width >= gray.cols) {
            target = gray;
            return;
        }
        const int height = std::max(1, int(std::lround(double(gray.rows) * width / gray.cols)));
        cv::resize(gray, target, cv::Size(width, height), 0, 0, cv::INTER_AREA);
    }

    /// Grey, equalised copy of the frame (downscaled to maxWidth) in `gray`; false if unusable.
    bool prepare(const FrameView &frame, bool profiles = true)
    {
        const cv::Mat bgr(frame.height, frame.width, CV_8UC3, const_cast<quint8 *>(frame.data),
                          size_t(frame.stride));
        const cv::Mat *source = &bgr;
        if (options.maxWidth > 0 && frame.width > options.maxWidth) {
            const int height = std::max(1, frame.height * options.maxWidth / frame.width);
            cv::resize(bgr, resized, cv::Size(options.maxWidth, height), 0, 0, cv::INTER_AREA);
            source = &resized;
        }
        cv::cvtColor(*source, gray, cv::COLOR_BGR2GRAY);
        // Stretches dim or washed-out frames to the contrast the cascades were trained on.
        cv::equalizeHist(gray, gray);
        if (gray.empty())
            return false;
        shrinkTo(options.frontalWidth, frontalGray);
        if (profiles)
            shrinkTo(options.profileWidth, profileGray);
        return true;
    }

    QList<Box> boxes(std::vector<Candidate> candidates) const
    {
        const int width = gray.cols;
        const int height = gray.rows;
        QList<Box> result;
        for (const Candidate &candidate : suppressOverlaps(std::move(candidates))) {
            const cv::Rect r = candidate.rect & cv::Rect(0, 0, width, height);
            result.append(Box{ double(r.x) / width, double(r.y) / height, double(r.width) / width,
                               double(r.height) / height, candidate.score });
        }
        return result;
    }
};

FaceDetector::FaceDetector(const QString &cascadeDir, const FaceDetectorOptions &options)
    : d(std::make_unique<Private>())
{
    d->options = options;
    d->options.scaleFactor = std::max(1.01, options.scaleFactor);
    d->dir = cascadeDir.isEmpty() ? defaultCascadeDir() : cascadeDir;
    if (d->load(d->frontal, FrontalCascade))
        d->load(d->profile, ProfileCascade);
    if (!d->error.isEmpty())
        qCWarning(lcAnalysis).noquote() << d->error;
}

FaceDetector::~FaceDetector() = default;
FaceDetector::FaceDetector(FaceDetector &&other) noexcept = default;
FaceDetector &FaceDetector::operator=(FaceDetector &&other) noexcept = default;

bool FaceDetector::isReady() const
{
    return d && d->error.isEmpty();
}

QString FaceDetector::errorString() const
{
    return d ? d->error : QStringLiteral("face detector moved from");
}

QString FaceDetector::cascadeDir() const
{
    return d ? d->dir : QString();
}

QString FaceDetector::defaultCascadeDir()
{
    const QString fromEnvironment = qEnvironmentVariable("MMV_CASCADE_DIR");
    return fromEnvironment.isEmpty() ? QStringLiteral(MMV_CASCADE_DIR) : fromEnvironment;
}

bool FaceDetector::usable(const FrameView &frame) const
{
    return isReady() && frame.data && frame.width > 0 && frame.height > 0
        && frame.stride >= frame.width * 3;
}

QList<Box> FaceDetector::detect(const FrameView &frame, bool profiles)
{
    if (!usable(frame))
        return {};
    try {
        if (!d->prepare(frame, profiles))
            return {};
        std::vector<Candidate> candidates;
        d->detectIn(cv::Rect(0, 0, d->gray.cols, d->gray.rows), 0, 0, profiles, candidates);
        return d->boxes(std::move(candidates));
    } catch (const cv::Exception &e) {
        qCWarning(lcAnalysis) << "face detection failed:" << e.what();
        return {};
    }
}

QList<Box> FaceDetector::detectNear(const FrameView &frame, const QList<Box> &previous)
{
    if (!usable(frame) || previous.isEmpty())
        return {};
    const FaceDetectorOptions &options = d->options;
    try {
        if (!d->prepare(frame))
            return {};
        const cv::Rect whole(0, 0, d->gray.cols, d->gray.rows);
        std::vector<Candidate> candidates;
        for (const Box &box : previous) {
            const double w = box.w * whole.width;
            const double h = box.h * whole.height;
            const double size = std::max(w, h);
            const double margin = options.trackMargin * size;
            const cv::Rect roi
                = cv::Rect(int(std::floor(box.x * whole.width - margin)),
                           int(std::floor(box.y * whole.height - margin)),
                           int(std::ceil(w + 2 * margin)), int(std::ceil(h + 2 * margin)))
                & whole;
            if (roi.empty())
                continue;
            d->detectIn(roi, int(std::floor(size / options.trackSizeChange)),
                        int(std::ceil(size * options.trackSizeChange)), true, candidates);
        }
        return d->boxes(std::move(candidates));
    } catch (const cv::Exception &e) {
        qCWarning(lcAnalysis) << "face detection failed:" << e.what();
        return {};
    }
}

} // namespace mmv::analysis
