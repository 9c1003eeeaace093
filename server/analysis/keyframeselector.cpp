#include "keyframeselector.h"

extern "C" {
#include <libswscale/swscale.h>
}

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mmv::analysis {

namespace {

constexpr int kQualityWidth = 160;
/// A sharp, well exposed 160-pixel frame has a Laplacian variance of a few hundred.
constexpr double kSharpnessScale = 400;

struct GrayStats
{
    double mean = 0;
    double stddev = 0;
    double laplacianStddev = 0;
};

/// Mean and standard deviation of a grey picture and of its Laplacian (the 4-neighbour kernel,
/// borders reflected as cv::Laplacian's default does), in one pass of integer sums: the same
/// figures as cv::meanStdDev over cv::Laplacian(CV_16S), at a fifth of their cost.
GrayStats grayStats(const cv::Mat &gray)
{
    const int w = gray.cols;
    const int h = gray.rows;
    GrayStats stats;
    if (w < 2 || h < 2) {
        cv::Scalar mean;
        cv::Scalar stddev;
        cv::meanStdDev(gray, mean, stddev);
        stats.mean = mean[0];
        stats.stddev = stddev[0];
        return stats;
    }
    qint64 sum = 0;
    qint64 squares = 0;
    qint64 lapSum = 0;
    qint64 lapSquares = 0;
    for (int y = 0; y < h; ++y) {
        const quint8 *row = gray.ptr<quint8>(y);
        const quint8 *up = gray.ptr<quint8>(y > 0 ? y - 1 : 1);
        const quint8 *down = gray.ptr<quint8>(y + 1 < h ? y + 1 : h - 2);
        int rowSum = 0;
        int rowSquares = 0;
        int rowLap = 0;
        int rowLapSquares = 0;
        for (int x = 0; x < w; ++x) {
            const int v = row[x];
            rowSum += v;
            rowSquares += v * v;
        }
        const auto laplacian = [&](int x, int left, int right) {
            return int(up[x]) + int(down[x]) + int(row[left]) + int(row[right]) - 4 * int(row[x]);
        };
        const int first = laplacian(0, 1, 1);
        const int last = laplacian(w - 1, w - 2, w - 2);
        rowLap += first + last;
        rowLapSquares += first * first + last * last;
        for (int x = 1; x + 1 < w; ++x) {
            const int l
                = int(up[x]) + int(down[x]) + int(row[x - 1]) + int(row[x + 1]) - 4 * int(row[x]);
            rowLap += l;
            rowLapSquares += l * l;
        }
        // Within int per row: at most 255^2 x width, and 1020^2 x width (< 2^31 up to 2000
        // pixels; the pictures here are 160 wide).
        sum += rowSum;
        squares += rowSquares;
        lapSum += rowLap;
        lapSquares += rowLapSquares;
    }
    const double n = double(w) * double(h);
    stats.mean = double(sum) / n;
    stats.stddev = std::sqrt(std::max(0.0, double(squares) / n - stats.mean * stats.mean));
    const double lapMean = double(lapSum) / n;
    stats.laplacianStddev = std::sqrt(std::max(0.0, double(lapSquares) / n - lapMean * lapMean));
    return stats;
}

} // namespace

double KeyframeSelector::quality(const FrameView &frame)
{
    if (!frame.data || frame.width <= 0 || frame.height <= 0)
        return 0;
    const cv::Mat bgr(frame.height, frame.width, CV_8UC3, const_cast<quint8 *>(frame.data),
                      size_t(frame.stride));
    cv::Mat small;
    if (frame.width > kQualityWidth) {
        const int height
            = std::max(1, int(std::lround(double(frame.height) * kQualityWidth / frame.width)));
        cv::resize(bgr, small, cv::Size(kQualityWidth, height), 0, 0, cv::INTER_AREA);
    } else {
        small = bgr;
    }
    cv::Mat gray;
    cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
    const GrayStats stats = grayStats(gray);
    const cv::Scalar mean(stats.mean);
    const cv::Scalar stddev(stats.stddev);
    const cv::Scalar lapStd(stats.laplacianStddev);

    const double sharpness = 1 - std::exp(-lapStd[0] * lapStd[0] / kSharpnessScale);
    const double brightness = mean[0] / 255;
    // Best around mid grey, worthless at black or white.
    const double exposure = std::clamp(1 - std::pow(std::abs(brightness - 0.5) * 2, 3), 0.0, 1.0);
    const double contrast = std::min(1.0, stddev[0] / 40);
    return std::clamp(0.5 * sharpness + 0.3 * contrast + 0.2 * exposure, 0.0, 1.0)
        * std::min(1.0, 0.2 + exposure);
}

void KeyframeSelector::offer(qint64 index, double quality, const FrameView &image)
{
    KeyframeCandidate candidate;
    candidate.index = index;
    candidate.time = image.time;
    candidate.quality = quality;
    candidate.width = image.width;
    candidate.height = image.height;
    const size_t rowBytes = size_t(image.width) * 3;
    candidate.pixels.resize(rowBytes * size_t(image.height));
    for (int y = 0; y < image.height; ++y) {
        std::copy_n(image.data + size_t(y) * size_t(image.stride), rowBytes,
                    candidate.pixels.data() + size_t(y) * rowBytes);
    }
    m_candidates.push_back(std::move(candidate));
}

void KeyframeSelector::offer(qint64 index, double time, double quality, const Picture &picture)
{
    KeyframeCandidate candidate;
    candidate.index = index;
    candidate.time = time;
    candidate.quality = quality;
    candidate.picture = picture;
    m_candidates.push_back(std::move(candidate));
}

bool KeyframeCandidate::materialise(int targetWidth, SwsContext **cache)
{
    if (!pixels.empty())
        return true;
    if (!picture.toYuv420(targetWidth, yuv, cache))
        return false;
    width = yuv.width;
    height = yuv.height;
    return true;
}

KeyframeSelector::~KeyframeSelector()
{
    sws_freeContext(m_scaler);
}

bool KeyframeSelector::materialise(KeyframeCandidate &candidate, int width)
{
    return candidate.materialise(width, &m_scaler);
}

void KeyframeSelector::prune(qint64 from, qint64 to, int keep)
{
    std::vector<size_t> inRange;
    for (size_t i = 0; i < m_candidates.size(); ++i) {
        if (m_candidates[i].index >= from && m_candidates[i].index <= to)
            inRange.push_back(i);
    }
    if (int(inRange.size()) <= keep)
        return;
    std::sort(inRange.begin(), inRange.end(), [this](size_t a, size_t b) {
        return m_candidates[a].quality > m_candidates[b].quality;
    });
    std::vector<size_t> drop(inRange.begin() + keep, inRange.end());
    std::sort(drop.rbegin(), drop.rend());
    for (size_t i : drop)
        m_candidates.erase(m_candidates.begin() + qint64(i));
}

void KeyframeSelector::markInTransition(qint64 index)
{
    for (KeyframeCandidate &candidate : m_candidates) {
        if (candidate.index == index)
            candidate.inTransition = true;
    }
}

std::optional<KeyframeCandidate> KeyframeSelector::take(qint64 first, qint64 last)
{
    auto best = m_candidates.end();
    double bestScore = -1;
    bool bestExcluded = true;
    const double span = std::max<qint64>(1, last - first);
    for (auto it = m_candidates.begin(); it != m_candidates.end(); ++it) {
        if (it->index < first || it->index > last)
            continue;
        const bool isExcluded = it->inTransition;
        const double position = double(it->index - first) / span;
        const double centrality = 1 - 0.5 * std::abs(2 * position - 1);
        const double score = it->quality * centrality;
        // A frame outside the transitions always beats one inside.
        if ((bestExcluded && !isExcluded) || (isExcluded == bestExcluded && score > bestScore)) {
            best = it;
            bestScore = score;
            bestExcluded = isExcluded;
        }
    }
    if (best == m_candidates.end()) {
        // A shot shorter than the candidate spacing that starts with a gradual transition:
        // the nearest frame is the closest there is.
        qint64 distance = std::numeric_limits<qint64>::max();
        for (auto it = m_candidates.begin(); it != m_candidates.end(); ++it) {
            const qint64 d = it->index < first ? first - it->index : it->index - last;
            if (d < distance) {
                distance = d;
                best = it;
            }
        }
    }
    std::optional<KeyframeCandidate> chosen;
    if (best != m_candidates.end() && best->index > last)
        chosen = *best; // the next shot may need it too
    else if (best != m_candidates.end())
        chosen = std::move(*best);
    m_candidates.erase(std::remove_if(m_candidates.begin(), m_candidates.end(),
                                      [last](const KeyframeCandidate &c) {
                                          return c.index <= last
                                              || (c.pixels.empty() && c.picture.isNull());
                                      }),
                       m_candidates.end());
    return chosen;
}

bool KeyframeSelector::writeJpeg(const KeyframeCandidate &frame, const QString &path,
                                 QString *errorMessage)
{
    const std::optional<QByteArray> bytes = frame.yuv.isNull()
        ? m_jpeg.encodeBgr(frame.pixels.data(), frame.width, frame.height, frame.width * 3,
                           errorMessage)
        : m_jpeg.encode(frame.yuv, errorMessage);
    return bytes && JpegWriter::save(*bytes, path, errorMessage);
}

} // namespace mmv::analysis
