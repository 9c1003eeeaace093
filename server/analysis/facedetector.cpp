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
    cv::Mat gray;
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

    void detect(cv::CascadeClassifier &cascade, const cv::Mat &image, int minNeighbours,
                int minSize, bool mirroredImage, std::vector<Candidate> &out) const
    {
        std::vector<cv::Rect> rects;
        std::vector<int> neighbours;
        cascade.detectMultiScale(image, rects, neighbours, options.scaleFactor, minNeighbours, 0,
                                 cv::Size(minSize, minSize));
        for (size_t i = 0; i < rects.size(); ++i) {
            cv::Rect rect = rects[i];
            if (mirroredImage)
                rect.x = image.cols - rect.x - rect.width;
            out.push_back({ rect, scoreFromNeighbours(neighbours[i]) });
        }
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

QList<Box> FaceDetector::detect(const FrameView &frame)
{
    if (!isReady() || !frame.data || frame.width <= 0 || frame.height <= 0
        || frame.stride < frame.width * 3)
        return {};
    const FaceDetectorOptions &options = d->options;

    try {
        const cv::Mat bgr(frame.height, frame.width, CV_8UC3, const_cast<quint8 *>(frame.data),
                          size_t(frame.stride));
        const cv::Mat *source = &bgr;
        if (options.maxWidth > 0 && frame.width > options.maxWidth) {
            const int height = std::max(1, frame.height * options.maxWidth / frame.width);
            cv::resize(bgr, d->resized, cv::Size(options.maxWidth, height), 0, 0, cv::INTER_AREA);
            source = &d->resized;
        }
        cv::cvtColor(*source, d->gray, cv::COLOR_BGR2GRAY);
        // Stretches dim or washed-out frames to the contrast the cascades were trained on.
        cv::equalizeHist(d->gray, d->gray);

        const int width = d->gray.cols;
        const int height = d->gray.rows;
        // The cascades' own windows are 20x20; nothing smaller can be found.
        const int shorterSide = std::min(width, height);
        const auto minSize = [shorterSide](double fraction) {
            return std::max(20, int(std::lround(fraction * shorterSide)));
        };
        const int frontalMin = minSize(options.minFaceFraction);
        const int profileMin = minSize(options.profileMinFaceFraction);

        std::vector<Candidate> candidates;
        if (options.frontal && frontalMin <= shorterSide)
            d->detect(d->frontal, d->gray, options.frontalMinNeighbors, frontalMin, false,
                      candidates);
        if (options.profiles && profileMin <= shorterSide) {
            d->detect(d->profile, d->gray, options.profileMinNeighbors, profileMin, false,
                      candidates);
            cv::flip(d->gray, d->mirrored, 1);
            d->detect(d->profile, d->mirrored, options.profileMinNeighbors, profileMin, true,
                      candidates);
        }

        QList<Box> boxes;
        for (const Candidate &candidate : suppressOverlaps(std::move(candidates))) {
            const cv::Rect r = candidate.rect & cv::Rect(0, 0, width, height);
            boxes.append(Box{ double(r.x) / width, double(r.y) / height, double(r.width) / width,
                              double(r.height) / height, candidate.score });
        }
        return boxes;
    } catch (const cv::Exception &e) {
        qCWarning(lcAnalysis) << "face detection failed:" << e.what();
        return {};
    }
}

} // namespace mmv::analysis
