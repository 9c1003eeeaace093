#include "shotdetector.h"

#include <opencv2/core.hpp>
#include <opencv2/core/hal/intrin.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace mmv::analysis {

namespace {

// Approximate widths: the pictures are shrunk by integer factors.
constexpr double kScoreWidth = 160; ///< the content score does not need more pixels
constexpr double kBlendWidth = 36;
constexpr double kCoarseWidth = 8;
constexpr int kCutWindow = 2; ///< frames on each side of a cut candidate
constexpr double kBlankContrast = 8; ///< value std (0..255) under which a frame is flat
constexpr double kDark = 40;
constexpr double kBright = 215;
constexpr double kBrightSaturation = 40;
// A blend disturbed by motion within the shots still qualifies when the colours change a
// lot (histogram distance) and the coarse picture, where the motion is subpixel, is a blend.
constexpr double kMotionBlendTolerance = 0.35;
constexpr double kCoarseBlendTolerance = 0.12;
constexpr double kMinHistogramChange = 0.3;
constexpr qint64 kMergeGap = 2; ///< frames a transition's refined end may be off
constexpr double kRampEdge = 0.08; ///< blend weight under which a frame is still the old shot
constexpr double kBlankHoldSeconds = 5;
constexpr double kFlashShare = 0.4; ///< a flash leaves at most this share of its change
constexpr qint64 kNone = std::numeric_limits<qint64>::max();

struct Frame
{
    qint64 index = 0;
    double time = 0;
    cv::Mat blend; ///< BGR, about kBlendWidth wide
    cv::Mat coarse; ///< BGR, about kCoarseWidth wide: motion of a few pixels vanishes here
    std::array<quint16, 64> histogram{}; ///< of `blend`, 4 levels per channel
    double content = -1; ///< HSV content value to the previous frame; -1 for the first
    double skipContent = -1; ///< HSV content value to the frame before the previous one
    double effective = -1; ///< content, or what is left of it once a flash is taken out
    double step = 0; ///< mean absolute difference of `blend` to the previous frame
    double brightness = 0;
    double contrast = 0;
    double motion = 0;
    bool blank = false;
    bool inTransition = false;
};

/// A candidate transition before merging: a cut (empty span at `first`) or a gradual run.
struct Event
{
    qint64 first = 0;
    qint64 last = -1;
    bool gradual = false;
    bool cut = false;
    double cutContent = 0;
    double cutRatio = 0;
    double blendRatio = 1;
};

void shrink(const cv::Mat &source, int factor, cv::Mat &target)
{
    if (factor <= 1) {
        source.copyTo(target);
        return;
    }
    // Halving is OpenCV's vectorised case of area averaging: use it while it fits.
    cv::Mat current = source;
    cv::Mat halved;
    while (factor % 2 == 0) {
        cv::resize(current(cv::Rect(0, 0, current.cols & ~1, current.rows & ~1)), halved,
                   cv::Size(current.cols / 2, current.rows / 2), 0, 0, cv::INTER_AREA);
        current = halved;
        factor /= 2;
    }
    if (factor == 1) {
        target = current.clone();
        return;
    }
    const int width = std::max(1, current.cols / factor);
    const int height = std::max(1, current.rows / factor);
    cv::resize(current(cv::Rect(0, 0, std::min(current.cols, width * factor),
                                std::min(current.rows, height * factor))),
               target, cv::Size(width, height), 0, 0, cv::INTER_AREA);
}

/// Mean and standard deviation of the value channel, and mean saturation, of an HSV
/// picture, from every other row (enough for "black and flat" and brightness).
struct ValueStats
{
    double meanV = 0;
    double stdV = 0;
    double meanS = 0;
};

ValueStats valueStats(const cv::Mat &hsv)
{
    quint64 sumV = 0;
    quint64 sumV2 = 0;
    quint64 sumS = 0;
    quint64 count = 0;
    for (int y = 0; y < hsv.rows; y += 2) {
        const quint8 *p = hsv.ptr<quint8>(y);
        int x = 0;
#if CV_SIMD128
        const cv::v_uint8x16 zero = cv::v_setzero_u8();
        cv::v_int32x4 squares = cv::v_setzero_s32();
        for (; x + 16 <= hsv.cols; x += 16) {
            cv::v_uint8x16 h;
            cv::v_uint8x16 sat;
            cv::v_uint8x16 val;
            cv::v_load_deinterleave(p + 3 * x, h, sat, val);
            sumS += cv::v_reduce_sad(sat, zero);
            sumV += cv::v_reduce_sad(val, zero);
            cv::v_uint16x8 low;
            cv::v_uint16x8 high;
            cv::v_expand(val, low, high);
            const cv::v_int16x8 l = cv::v_reinterpret_as_s16(low);
            const cv::v_int16x8 hi = cv::v_reinterpret_as_s16(high);
            squares += cv::v_dotprod(l, l) + cv::v_dotprod(hi, hi);
        }
        sumV2 += quint64(cv::v_reduce_sum(squares));
#endif
        for (; x < hsv.cols; ++x) {
            sumS += p[3 * x + 1];
            sumV += p[3 * x + 2];
            sumV2 += quint32(p[3 * x + 2]) * p[3 * x + 2];
        }
        count += quint64(hsv.cols);
    }
    ValueStats stats;
    const double n = double(std::max<quint64>(1, count));
    stats.meanV = double(sumV) / n;
    stats.meanS = double(sumS) / n;
    stats.stdV = std::sqrt(std::max(0.0, double(sumV2) / n - stats.meanV * stats.meanV));
    return stats;
}

/// Mean absolute difference over all pixels and channels (0..255).
double meanAbsDiff(const cv::Mat &a, const cv::Mat &b)
{
    if (a.size() != b.size() || a.type() != b.type())
        return 255;
    // A sum of absolute differences, 16 bytes at a time (cv::absdiff then cv::sum was ten
    // times the cost: sum is not vectorised for 3 channels).
    const int rowBytes = a.cols * int(a.elemSize());
    quint64 total = 0;
    for (int y = 0; y < a.rows; ++y) {
        const quint8 *pa = a.ptr<quint8>(y);
        const quint8 *pb = b.ptr<quint8>(y);
        int x = 0;
#if CV_SIMD128
        for (; x + 16 <= rowBytes; x += 16)
            total += cv::v_reduce_sad(cv::v_load(pa + x), cv::v_load(pb + x));
#endif
        for (; x < rowBytes; ++x)
            total += quint64(std::abs(int(pa[x]) - int(pb[x])));
    }
    return double(total) / double(std::max<size_t>(1, a.total() * size_t(a.channels())));
}

/// Mean absolute residual of `k` against the blend a + alpha (b - a), alpha = m / n, 0 < m < n.
/// Exact in integers: n (k - a - alpha (b - a)) = (n - m) (k - a) + m (k - b), which for
/// n <= 128 stays within 16 bits (8 lanes at a time; the float loop it replaces was scalar and
/// the detector's largest cost on clips with motion).
double blendResidual(const cv::Mat &a, const cv::Mat &b, const cv::Mat &k, int m, int n)
{
    const int count = a.rows * a.cols * a.channels();
    const quint8 *pa = a.ptr<quint8>();
    const quint8 *pb = b.ptr<quint8>();
    const quint8 *pk = k.ptr<quint8>();
    const int wa = n - m;
    const int wb = m;
    quint64 sum = 0;
    int i = 0;
#if CV_SIMD128
    if (n <= 128) {
        const cv::v_int16x8 va = cv::v_setall_s16(short(wa));
        const cv::v_int16x8 vb = cv::v_setall_s16(short(wb));
        const auto term
            = [&](const cv::v_uint16x8 &x, const cv::v_uint16x8 &y, const cv::v_uint16x8 &z) {
                  const cv::v_int16x8 kk = cv::v_reinterpret_as_s16(z);
                  return cv::v_abs(va * (kk - cv::v_reinterpret_as_s16(x))
                                   + vb * (kk - cv::v_reinterpret_as_s16(y)));
              };
        while (i + 16 <= count) {
            // Each lane gains at most 4 x 32640 per step: flush well before 2^32.
            cv::v_uint32x4 acc = cv::v_setzero_u32();
            for (int steps = 0; steps < 4096 && i + 16 <= count; ++steps, i += 16) {
                cv::v_uint16x8 a0, a1, b0, b1, k0, k1;
                cv::v_expand(cv::v_load(pa + i), a0, a1);
                cv::v_expand(cv::v_load(pb + i), b0, b1);
                cv::v_expand(cv::v_load(pk + i), k0, k1);
                cv::v_uint32x4 lo, hi;
                cv::v_expand(term(a0, b0, k0), lo, hi);
                acc += lo + hi;
                cv::v_expand(term(a1, b1, k1), lo, hi);
                acc += lo + hi;
            }
            sum += cv::v_reduce_sum(acc);
        }
    }
#endif
    for (; i < count; ++i) {
        const int kk = pk[i];
        sum += quint64(std::abs(wa * (kk - int(pa[i])) + wb * (kk - int(pb[i]))));
    }
    return double(sum) / double(n) / double(std::max(1, count));
}

/// Least-squares blend weight of `k` between a (0) and b (1).
double projectOnBlend(const cv::Mat &a, const cv::Mat &b, const cv::Mat &k)
{
    const int count = a.rows * a.cols * a.channels();
    const quint8 *pa = a.ptr<quint8>();
    const quint8 *pb = b.ptr<quint8>();
    const quint8 *pk = k.ptr<quint8>();
    qint64 dot = 0;
    qint64 norm = 0;
    for (int i = 0; i < count; ++i) {
        const int ab = int(pb[i]) - int(pa[i]);
        dot += qint64(int(pk[i]) - int(pa[i])) * ab;
        norm += qint64(ab) * ab;
    }
    return norm > 0 ? double(dot) / double(norm) : 0;
}

/// 1 - histogram intersection, 0..1.
double histogramChange(const std::array<quint16, 64> &a, const std::array<quint16, 64> &b)
{
    int common = 0;
    int total = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        common += std::min(a[i], b[i]);
        total += a[i];
    }
    return total > 0 ? 1 - double(common) / total : 0;
}

/// Whether `later` is part of the same transition as `event`: two cuts never are, a cut
/// right at the end of a fade is (a blend rarely ramps all the way).
bool joins(const Event &event, const Event &later)
{
    return (event.gradual || later.gradual) && later.first <= event.last + 1 + kMergeGap;
}

double hsvContent(const cv::Mat &a, const cv::Mat &b)
{
    cv::Mat ha;
    cv::Mat hb;
    cv::cvtColor(a, ha, cv::COLOR_BGR2HSV);
    cv::cvtColor(b, hb, cv::COLOR_BGR2HSV);
    cv::Mat diff;
    cv::absdiff(ha, hb, diff);
    const cv::Scalar m = cv::mean(diff);
    return (m[0] + m[1] + m[2]) / 3;
}

} // namespace

QString ShotTransition::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Cut:
        return QStringLiteral("cut");
    case Kind::Fade:
        return QStringLiteral("fade");
    case Kind::Dissolve:
        return QStringLiteral("dissolve");
    }
    return QStringLiteral("cut");
}

struct ShotDetector::Private
{
    explicit Private(const ShotDetectorOptions &o);

    Frame &at(qint64 index) { return frames[size_t(index - base)]; }
    bool has(qint64 index) const { return index >= base && index < base + qint64(frames.size()); }
    void analyse(const FrameView &view, qint64 index);
    void evaluateCut(qint64 centre, qint64 last);
    void evaluateGradual(qint64 centre, qint64 last);
    static qint64 sampleAt(qint64 centre, int h, int j, int samples)
    {
        return centre - h + qint64(std::lround(double(j) * 2 * h / (samples + 1)));
    }
    double coarseBlendRatio(qint64 centre, int h, int samples);
    void closeCluster();
    void addEvent(const Event &event);
    qint64 settledBefore() const;
    bool extendOverBlanks(Event &event, bool final);
    void resolve(bool final);
    void release(qint64 upTo, bool force);
    void emitEvent(const Event &event, bool final);

    ShotDetectorOptions options;
    TransitionHandler onTransition;
    FrameHandler onFrame;
    std::vector<int> halfWidths; ///< gradual window half widths, descending
    int maxHalfWidth = 0;
    qint64 blankHold = 0;

    std::deque<Frame> frames;
    qint64 base = 0; ///< index of frames.front()
    qint64 lastIndex = -1;
    cv::Mat previousHsv;
    cv::Mat olderHsv;
    cv::Mat small;
    cv::Mat hsv;

    qint64 nextCut = 1; ///< next cut candidate to evaluate
    qint64 nextGradual = 0; ///< next gradual window centre to evaluate
    std::optional<Event> cluster; ///< the gradual run still growing
    std::vector<Event> pending; ///< sorted by first frame
    qint64 nextRelease = 0;
};

ShotDetector::Private::Private(const ShotDetectorOptions &o)
    : options(o)
{
    const double fps = options.fps > 0 ? options.fps : 25;
    const int scale = std::max(1, int(std::lround(fps / 30)));
    for (int h : { 32, 16, 8, 4, 2 })
        halfWidths.push_back(h * scale);
    maxHalfWidth = halfWidths.front();
    blankHold = qint64(std::lround(kBlankHoldSeconds * fps));
}

ShotDetector::ShotDetector(ShotDetectorOptions options)
    : d(std::make_unique<Private>(options))
{ }

ShotDetector::~ShotDetector() = default;

void ShotDetector::setTransitionHandler(TransitionHandler handler)
{
    d->onTransition = std::move(handler);
}

void ShotDetector::setFrameHandler(FrameHandler handler)
{
    d->onFrame = std::move(handler);
}

void ShotDetector::Private::analyse(const FrameView &view, qint64 index)
{
    const cv::Mat bgr(view.height, view.width, CV_8UC3, const_cast<quint8 *>(view.data),
                      size_t(view.stride));
    // Integer factors throughout: box averages are OpenCV's fast path, and all the score needs.
    // At most kScoreWidth wide already (the analyzer's frames are): no copy.
    const int scoreFactor = std::max(1, int(std::lround(view.width / kScoreWidth)));
    if (scoreFactor > 1)
        shrink(bgr, scoreFactor, small);
    const cv::Mat &score = scoreFactor > 1 ? small : bgr;
    cv::cvtColor(score, hsv, cv::COLOR_BGR2HSV);

    Frame frame;
    frame.index = index;
    frame.time = view.time;
    const ValueStats stats = valueStats(hsv);
    frame.brightness = stats.meanV / 255;
    frame.contrast = stats.stdV / 255;
    frame.blank = stats.stdV < kBlankContrast
        && (stats.meanV < kDark || (stats.meanV > kBright && stats.meanS < kBrightSaturation));
    // PySceneDetect's content value: the mean of the H, S and V mean differences, which is
    // the mean difference over all bytes.
    if (!previousHsv.empty() && previousHsv.size() == hsv.size()) {
        frame.content = meanAbsDiff(hsv, previousHsv);
        frame.effective = frame.content;
        frame.motion = frame.content / 255;
    }
    // Only a big change may be a flash whose next frame returns to the one before.
    if (!frames.empty() && frames.back().content >= options.minCutContent && !olderHsv.empty()
        && olderHsv.size() == hsv.size())
        frame.skipContent = meanAbsDiff(hsv, olderHsv);
    std::swap(olderHsv, previousHsv);
    std::swap(previousHsv, hsv);

    shrink(score, std::max(1, int(std::lround(score.cols / kBlendWidth))), frame.blend);
    shrink(frame.blend, std::max(1, int(std::lround(frame.blend.cols / kCoarseWidth))),
           frame.coarse);
    const quint8 *pixel = frame.blend.ptr<quint8>();
    for (int i = 0, n = frame.blend.rows * frame.blend.cols; i < n; ++i, pixel += 3)
        ++frame.histogram[size_t((pixel[0] >> 6) * 16 + (pixel[1] >> 6) * 4 + (pixel[2] >> 6))];
    if (!frames.empty())
        frame.step = meanAbsDiff(frames.back().blend, frame.blend);
    if (frames.empty())
        base = index;
    frames.push_back(std::move(frame));
    lastIndex = index;

    // A flash (one odd frame, then back to what was there) is two big changes that cancel
    // out: neither is a cut.
    if (has(index - 1) && at(index - 1).content >= options.minCutContent) {
        Frame &odd = at(index - 1);
        Frame &after = at(index);
        const double smaller = std::min(odd.content, after.content);
        if (after.content >= options.minCutContent && after.skipContent >= 0
            && after.skipContent < kFlashShare * smaller) {
            odd.effective = after.skipContent / 2;
            after.effective = after.skipContent / 2;
        }
    }
}

void ShotDetector::Private::evaluateCut(qint64 centre, qint64 last)
{
    const Frame &frame = at(centre);
    if (frame.effective < options.minCutContent)
        return;
    double sum = 0;
    int count = 0;
    for (qint64 i = centre - kCutWindow; i <= centre + kCutWindow; ++i) {
        if (i == centre || i < 1 || i > last || !has(i))
            continue;
        sum += at(i).effective;
        ++count;
    }
    const double average = count > 0 ? sum / count : 0;
    const double ratio = std::min(255.0, frame.effective / std::max(average, 1e-3));
    if (ratio < options.cutRatio)
        return;
    Event event;
    event.first = centre;
    event.last = centre - 1;
    event.cut = true;
    event.cutContent = frame.effective;
    event.cutRatio = ratio;
    addEvent(event);
}

void ShotDetector::Private::evaluateGradual(qint64 centre, qint64 last)
{
    for (int h : halfWidths) {
        if (centre - h < base || centre + h > last)
            continue;
        const cv::Mat &a = at(centre - h).blend;
        const cv::Mat &b = at(centre + h).blend;
        const double change = meanAbsDiff(a, b);
        if (change < options.minGradualChange)
            continue;
        double maxStep = 0;
        for (qint64 k = centre - h + 1; k <= centre + h; ++k)
            maxStep = std::max(maxStep, at(k).step);
        if (maxStep > 0.5 * change)
            continue; // a jump: the cut detector's business
        const int samples = std::min(2 * h - 1, 7);
        double residual = 0;
        for (int j = 1; j <= samples; ++j) {
            const qint64 k = sampleAt(centre, h, j, samples);
            residual += blendResidual(a, b, at(k).blend, int(k - (centre - h)), 2 * h);
        }
        const double ratio = residual / samples / change;
        if (ratio > options.blendTolerance
            && (ratio > kMotionBlendTolerance
                || histogramChange(at(centre - h).histogram, at(centre + h).histogram)
                    < kMinHistogramChange
                || coarseBlendRatio(centre, h, samples) > kCoarseBlendTolerance))
            continue;
        const qint64 first = centre - h;
        const qint64 lastFrame = centre + h;
        if (cluster && first <= cluster->last + 1) {
            cluster->last = std::max(cluster->last, lastFrame);
            cluster->blendRatio = std::min(cluster->blendRatio, ratio);
        } else {
            closeCluster();
            Event event;
            event.first = first;
            event.last = lastFrame;
            event.gradual = true;
            event.blendRatio = ratio;
            cluster = event;
        }
        break;
    }
    // Later windows start at centre + 1 - maxHalfWidth at the earliest.
    if (cluster && cluster->last + 1 < centre + 1 - maxHalfWidth)
        closeCluster();
}

double ShotDetector::Private::coarseBlendRatio(qint64 centre, int h, int samples)
{
    const cv::Mat &a = at(centre - h).coarse;
    const cv::Mat &b = at(centre + h).coarse;
    const double change = meanAbsDiff(a, b);
    if (change < options.minGradualChange / 2)
        return 1;
    double residual = 0;
    for (int j = 1; j <= samples; ++j) {
        const qint64 k = sampleAt(centre, h, j, samples);
        residual += blendResidual(a, b, at(k).coarse, int(k - (centre - h)), 2 * h);
    }
    return residual / samples / change;
}

void ShotDetector::Private::closeCluster()
{
    if (!cluster)
        return;
    Event event = *cluster;
    cluster.reset();

    // The blend runs inside the window union: find the ramp around where each side's blend
    // weight crosses one half. Through a blank stretch, each side ramps on its own.
    qint64 firstBlank = -1;
    qint64 lastBlank = -1;
    for (qint64 k = event.first; k <= event.last; ++k) {
        if (at(k).blank) {
            if (firstBlank < 0)
                firstBlank = k;
            lastBlank = k;
        }
    }
    auto rampStart = [this](qint64 from, qint64 to) {
        // First frame of the ramp from `from` (weight 0) to `to` (weight 1).
        const cv::Mat &a = at(from).blend;
        const cv::Mat &b = at(to).blend;
        qint64 middle = to;
        for (qint64 k = from + 1; k < to; ++k) {
            if (projectOnBlend(a, b, at(k).blend) >= 0.5) {
                middle = k;
                break;
            }
        }
        qint64 start = from + 1;
        for (qint64 k = middle - 1; k > from; --k) {
            if (projectOnBlend(a, b, at(k).blend) <= kRampEdge) {
                start = k + 1;
                break;
            }
        }
        return std::make_pair(start, middle);
    };
    auto rampEnd = [this](qint64 from, qint64 to, qint64 middle) {
        const cv::Mat &a = at(from).blend;
        const cv::Mat &b = at(to).blend;
        qint64 end = to - 1;
        for (qint64 k = middle; k < to; ++k) {
            if (projectOnBlend(a, b, at(k).blend) >= 1 - kRampEdge) {
                end = k - 1;
                break;
            }
        }
        return std::max(end, middle);
    };

    qint64 first = event.first;
    qint64 last = event.last;
    if (firstBlank < 0) {
        const auto [start, middle] = rampStart(event.first, event.last);
        first = start;
        last = rampEnd(event.first, event.last, middle);
    } else {
        if (firstBlank > event.first)
            first = rampStart(event.first, firstBlank).first;
        else
            first = firstBlank;
        if (lastBlank < event.last) {
            const auto [start, middle] = rampStart(lastBlank, event.last);
            Q_UNUSED(start);
            last = rampEnd(lastBlank, event.last, middle);
        } else {
            last = lastBlank;
        }
    }
    event.first = first;
    event.last = std::max(first, last);
    // Leading blank frames belong to a fade in.
    while (event.first - 1 >= std::max(nextRelease, base) && at(event.first - 1).blank)
        --event.first;
    addEvent(event);
}

void ShotDetector::Private::addEvent(const Event &event)
{
    const auto position
        = std::upper_bound(pending.begin(), pending.end(), event,
                           [](const Event &a, const Event &b) { return a.first < b.first; });
    pending.insert(position, event);
}

qint64 ShotDetector::Private::settledBefore() const
{
    qint64 settled = std::min(nextCut, nextGradual - maxHalfWidth);
    if (cluster)
        settled = std::min(settled, cluster->first);
    return settled;
}

/// Extends a gradual event over the blank frames after it; false while the blank stretch
/// goes on (its end is still unknown).
bool ShotDetector::Private::extendOverBlanks(Event &event, bool final)
{
    if (!event.gradual)
        return true;
    const qint64 limit = event.last + blankHold;
    while (event.last + 1 <= lastIndex && event.last < limit && at(event.last + 1).blank)
        ++event.last;
    return final || event.last >= limit || event.last + 1 <= lastIndex;
}

void ShotDetector::Private::release(qint64 upTo, bool force)
{
    const qint64 settled = settledBefore();
    while (nextRelease <= upTo && nextRelease <= lastIndex) {
        Frame &frame = at(nextRelease);
        if (frame.blank && !force) {
            // A blank stretch may still turn out to be the middle of a fade: hold it until
            // what follows it is decided (or it is too long to be a fade).
            qint64 end = nextRelease;
            while (end + 1 <= lastIndex && at(end + 1).blank)
                ++end;
            const bool open = end == lastIndex || end + 1 >= settled;
            if (open && end - nextRelease < blankHold)
                return;
        }
        if (onFrame) {
            ShotFrame out;
            out.index = frame.index;
            out.time = frame.time;
            out.brightness = frame.brightness;
            out.contrast = frame.contrast;
            out.motion = frame.motion;
            out.blank = frame.blank;
            out.inTransition = frame.inTransition;
            out.thumbnail = frame.blend.ptr<quint8>();
            out.thumbnailWidth = frame.blend.cols;
            out.thumbnailHeight = frame.blend.rows;
            out.thumbnailStride = int(frame.blend.step);
            onFrame(out);
        }
        ++nextRelease;
    }
}

void ShotDetector::Private::emitEvent(const Event &event, bool final)
{
    for (qint64 k = std::max(event.first, base); k <= event.last && k <= lastIndex; ++k)
        at(k).inTransition = true;
    const qint64 boundary = (event.first + event.last + 1) / 2;
    // A fade in at the very start or a fade out at the very end is no boundary.
    const bool atStart = event.gradual && event.first <= 2;
    const bool atEnd = event.gradual && final && event.last >= lastIndex - 2;
    release(event.first - 1, true);
    if (atStart || atEnd || boundary <= 0 || boundary > lastIndex) {
        release(event.last, true);
        return;
    }
    release(boundary - 1, true);

    ShotTransition transition;
    transition.frame = boundary;
    transition.time = at(boundary).time;
    transition.firstFrame = event.first;
    transition.lastFrame = event.last;
    transition.startTime = event.last >= event.first ? at(event.first).time : transition.time;
    transition.endTime = event.last >= event.first ? at(event.last).time : transition.time;
    bool blank = false;
    for (qint64 k = std::max(event.first - 1, base); k <= event.last + 1 && k <= lastIndex; ++k)
        blank = blank || at(k).blank;
    const qint64 span = event.last - event.first + 1;
    if (event.gradual && (blank || span > 2)) {
        transition.kind = blank ? ShotTransition::Kind::Fade : ShotTransition::Kind::Dissolve;
        const qint64 before = std::max(event.first - 1, base);
        const qint64 after = std::min(event.last + 1, lastIndex);
        transition.score = std::min(1.0, hsvContent(at(before).blend, at(after).blend) / 100);
        transition.confidence
            = std::clamp(1 - event.blendRatio / (2 * options.blendTolerance), 0.0, 1.0);
        if (event.cut)
            transition.score = std::max(transition.score, std::min(1.0, event.cutContent / 100));
    } else {
        transition.kind = ShotTransition::Kind::Cut;
        const double content = event.cut
            ? event.cutContent
            : hsvContent(at(std::max(event.first - 1, base)).blend,
                         at(std::min(event.last + 1, lastIndex)).blend);
        transition.score = std::min(1.0, content / 100);
        transition.confidence = event.cut
            ? std::clamp(0.5 + 0.5 * (event.cutRatio - options.cutRatio) / options.cutRatio, 0.5,
                         1.0)
            : std::clamp(1 - event.blendRatio / (2 * options.blendTolerance), 0.0, 1.0);
    }
    if (onTransition)
        onTransition(transition);
    release(event.last, true);
}

void ShotDetector::Private::resolve(bool final)
{
    for (;;) {
        const qint64 settled = final ? kNone : settledBefore();
        const qint64 firstPending = pending.empty() ? kNone : pending.front().first;
        release(std::min(settled, firstPending) - 1, final);
        if (pending.empty())
            break;
        Event event = pending.front();
        if (!extendOverBlanks(event, final))
            break;
        size_t merged = 1;
        for (;;) {
            bool grew = false;
            while (merged < pending.size() && joins(event, pending[merged])) {
                const Event &next = pending[merged];
                event.last = std::max(event.last, next.last);
                event.gradual = event.gradual || next.gradual;
                event.cut = event.cut || next.cut;
                event.cutContent = std::max(event.cutContent, next.cutContent);
                event.cutRatio = std::max(event.cutRatio, next.cutRatio);
                event.blendRatio = std::min(event.blendRatio, next.blendRatio);
                ++merged;
                grew = true;
            }
            if (!extendOverBlanks(event, final))
                return;
            if (!grew)
                break;
        }
        if (!final && event.last + 1 + kMergeGap >= settled)
            break;
        pending.erase(pending.begin(), pending.begin() + qint64(merged));
        emitEvent(event, final);
    }
    // Windows reach back maxHalfWidth before the next centre; cut windows kCutWindow.
    const qint64 keepFrom
        = std::min({ nextRelease - 1, nextGradual - maxHalfWidth - 1, nextCut - kCutWindow - 2,
                     cluster ? cluster->first - 1 : kNone });
    while (!frames.empty() && base < keepFrom) {
        frames.pop_front();
        ++base;
    }
}

void ShotDetector::push(const FrameView &frame, qint64 index)
{
    d->analyse(frame, index);
    // A flash is known one frame after it, so cuts wait one frame more than their window.
    while (d->nextCut <= index - kCutWindow - 1)
        d->evaluateCut(d->nextCut++, index);
    while (d->nextGradual <= index - d->maxHalfWidth)
        d->evaluateGradual(d->nextGradual++, index);
    d->resolve(false);
}

bool ShotDetector::lastMayStartShot() const
{
    const qint64 last = d->lastIndex;
    if (last < 1 || !d->has(last) || d->at(last).content < d->options.minCutContent)
        return false;
    double before = 0;
    int count = 0;
    for (qint64 i = last - kCutWindow; i < last; ++i) {
        if (i >= 1 && d->has(i)) {
            before += d->at(i).content;
            ++count;
        }
    }
    return count == 0 || d->at(last).content >= d->options.cutRatio * before / count;
}

bool ShotDetector::lastBlank() const
{
    return !d->frames.empty() && d->frames.back().blank;
}

int ShotDetector::decisionDelay() const
{
    return 2 * d->maxHalfWidth;
}

void ShotDetector::finish()
{
    if (d->lastIndex < 0)
        return;
    while (d->nextCut <= d->lastIndex)
        d->evaluateCut(d->nextCut++, d->lastIndex);
    while (d->nextGradual <= d->lastIndex)
        d->evaluateGradual(d->nextGradual++, d->lastIndex);
    d->closeCluster();
    d->resolve(true);
}

} // namespace mmv::analysis
