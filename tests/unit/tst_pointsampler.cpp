// PointSampler: the analysis frame every decoded picture is reduced to. Colours per pixel
// format, range and matrix against an independent float conversion; sampling geometry on
// block patterns; SIMD and scalar tails; flipped pictures; formats it must refuse.

#include "server/analysis/framesource.h"
#include "server/analysis/pointsampler.h"
#include "server/analysis/swscaler.h"

#include "ffmpegclips.h"

#include <QTemporaryDir>
#include <QTest>

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <atomic>
#include <cstdio>
#include <cstring>

#include <array>
#include <cmath>
#include <memory>
#include <vector>

using namespace mmv::analysis;
using mmv::Result;

namespace {

using Rgb = std::array<int, 3>;

struct FrameDeleter
{
    void operator()(AVFrame *frame) const { av_frame_free(&frame); }
};
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;

FramePtr makeFrame(AVPixelFormat format, int width, int height)
{
    FramePtr frame(av_frame_alloc());
    frame->format = format;
    frame->width = width;
    frame->height = height;
    if (av_frame_get_buffer(frame.get(), 0) < 0)
        return nullptr;
    return frame;
}

/// The Y, U and V an encoder would store for `rgb`, in floating point.
std::array<int, 3> yuvFor(const Rgb &rgb, double kr, double kb, bool full)
{
    const double kg = 1 - kr - kb;
    const double r = rgb[0];
    const double g = rgb[1];
    const double b = rgb[2];
    const double y = kr * r + kg * g + kb * b;
    const double u = (b - y) / (2 * (1 - kb));
    const double v = (r - y) / (2 * (1 - kr));
    const auto clamp = [](double x) { return int(std::clamp(std::lround(x), 0L, 255L)); };
    if (full)
        return { clamp(y), clamp(128 + u), clamp(128 + v) };
    return { clamp(16 + y * 219 / 255), clamp(128 + u * 224 / 255), clamp(128 + v * 224 / 255) };
}

/// Fills a planar YUV picture so that pixel (x, y) has colour `colourAt(x, y)`; chroma from the
/// top left pixel of each chroma block.
template<typename F>
void fillYuv(AVFrame *frame, double kr, double kb, bool full, F colourAt)
{
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(AVPixelFormat(frame->format));
    for (int y = 0; y < frame->height; ++y) {
        for (int x = 0; x < frame->width; ++x) {
            const std::array<int, 3> yuv = yuvFor(colourAt(x, y), kr, kb, full);
            frame->data[0][y * frame->linesize[0] + x] = quint8(yuv[0]);
            const bool chromaOrigin
                = (x % (1 << desc->log2_chroma_w)) == 0 && (y % (1 << desc->log2_chroma_h)) == 0;
            if (chromaOrigin) {
                const int cx = x >> desc->log2_chroma_w;
                const int cy = y >> desc->log2_chroma_h;
                frame->data[1][cy * frame->linesize[1] + cx] = quint8(yuv[1]);
                frame->data[2][cy * frame->linesize[2] + cx] = quint8(yuv[2]);
            }
        }
    }
}

template<typename F>
void fillRgb(AVFrame *frame, F colourAt)
{
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(AVPixelFormat(frame->format));
    const int step = desc->comp[0].step;
    for (int y = 0; y < frame->height; ++y) {
        for (int x = 0; x < frame->width; ++x) {
            quint8 *p = frame->data[0] + y * frame->linesize[0] + x * step;
            const Rgb c = colourAt(x, y);
            if (step == 4)
                p[0] = p[1] = p[2] = p[3] = 0xa5; // the fourth byte must not leak in
            for (int i = 0; i < 3; ++i)
                p[desc->comp[i].offset] = quint8(c[size_t(i)]);
        }
    }
}

Rgb pixelAt(const std::vector<quint8> &bgr, int stride, int x, int y)
{
    const quint8 *p = bgr.data() + y * stride + 3 * x;
    return { p[2], p[1], p[0] };
}

const std::array<Rgb, 8> kColours{ { { 0, 0, 0 },
                                     { 255, 255, 255 },
                                     { 255, 0, 0 },
                                     { 0, 255, 0 },
                                     { 0, 0, 255 },
                                     { 200, 120, 40 },
                                     { 30, 160, 220 },
                                     { 128, 128, 128 } } };

/// A different colour for each block of 8x8 source pixels.
Rgb blockColour(int x, int y)
{
    const int bx = x / 8;
    const int by = y / 8;
    return { (bx * 37 + by * 11) % 200 + 20, (bx * 13 + by * 53) % 200 + 30,
             (bx * 71 + by * 29) % 200 + 10 };
}

} // namespace

class TestPointSampler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void yuvColours_data();
    void yuvColours();
    void rgbColours_data();
    void rgbColours();
    void geometry_data();
    void geometry();
    void flippedPicture();
    void refusesOtherFormats_data();
    void refusesOtherFormats();
    void fullRangeScalerIsKept();
    void cachedScalerIsKeptWhileItMatches();
};

void TestPointSampler::yuvColours_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<int>("colorspace");
    QTest::addColumn<int>("range");
    QTest::addColumn<double>("kr");
    QTest::addColumn<double>("kb");
    QTest::addColumn<bool>("full");
    QTest::addColumn<int>("width"); // covers the 16-pixel SIMD loop and the scalar tail

    const int unspecified = AVCOL_SPC_UNSPECIFIED;
    const int mpeg = AVCOL_RANGE_MPEG;
    const int jpeg = AVCOL_RANGE_JPEG;
    QTest::newRow("420 limited, matrix unspecified (BT.601)")
        << int(AV_PIX_FMT_YUV420P) << unspecified << mpeg << 0.299 << 0.114 << false << 40;
    QTest::newRow("420 limited BT.709") << int(AV_PIX_FMT_YUV420P) << int(AVCOL_SPC_BT709) << mpeg
                                        << 0.2126 << 0.0722 << false << 33;
    QTest::newRow("420 full range flag") << int(AV_PIX_FMT_YUV420P) << int(AVCOL_SPC_BT470BG)
                                         << jpeg << 0.299 << 0.114 << true << 16;
    QTest::newRow("yuvj420p (full by format)")
        << int(AV_PIX_FMT_YUVJ420P) << unspecified << int(AVCOL_RANGE_UNSPECIFIED) << 0.299 << 0.114
        << true << 18;
    QTest::newRow("422 BT.2020") << int(AV_PIX_FMT_YUV422P) << int(AVCOL_SPC_BT2020_NCL) << mpeg
                                 << 0.2627 << 0.0593 << false << 24;
    QTest::newRow("444") << int(AV_PIX_FMT_YUV444P) << unspecified << mpeg << 0.299 << 0.114
                         << false << 7;
    QTest::newRow("410") << int(AV_PIX_FMT_YUV410P) << unspecified << mpeg << 0.299 << 0.114
                         << false << 64;
    QTest::newRow("yuva420p (alpha ignored)")
        << int(AV_PIX_FMT_YUVA420P) << unspecified << mpeg << 0.299 << 0.114 << false << 32;
}

void TestPointSampler::yuvColours()
{
    QFETCH(int, format);
    QFETCH(int, colorspace);
    QFETCH(int, range);
    QFETCH(double, kr);
    QFETCH(double, kb);
    QFETCH(bool, full);
    QFETCH(int, width);

    QVERIFY(PointSampler::supports(format));
    PointSampler sampler;
    for (const Rgb &colour : kColours) {
        FramePtr frame = makeFrame(AVPixelFormat(format), 2 * width, 32);
        QVERIFY(frame);
        frame->colorspace = AVColorSpace(colorspace);
        frame->color_range = AVColorRange(range);
        fillYuv(frame.get(), kr, kb, full, [&](int, int) { return colour; });
        const int stride = 3 * width + 5;
        std::vector<quint8> out(size_t(stride) * 16, 0);
        QVERIFY(sampler.sample(frame.get(), width, 16, out.data(), stride));
        for (int y = 0; y < 16; ++y) {
            for (int x = 0; x < width; ++x) {
                const Rgb got = pixelAt(out, stride, x, y);
                for (int i = 0; i < 3; ++i) {
                    // Limited range loses up to a level in the encoder's rounding, which the
                    // decoder's gain (up to 1.16 and 2.1 per level of chroma) magnifies.
                    if (std::abs(got[size_t(i)] - colour[size_t(i)]) > 3) {
                        QFAIL(qPrintable(QStringLiteral("(%1, %2): got %3 %4 %5 for %6 %7 %8")
                                             .arg(x)
                                             .arg(y)
                                             .arg(got[0])
                                             .arg(got[1])
                                             .arg(got[2])
                                             .arg(colour[0])
                                             .arg(colour[1])
                                             .arg(colour[2])));
                    }
                }
            }
        }
    }
}

void TestPointSampler::rgbColours_data()
{
    QTest::addColumn<int>("format");
    QTest::newRow("rgb24") << int(AV_PIX_FMT_RGB24);
    QTest::newRow("bgr24") << int(AV_PIX_FMT_BGR24);
    QTest::newRow("rgba") << int(AV_PIX_FMT_RGBA);
    QTest::newRow("bgra") << int(AV_PIX_FMT_BGRA);
    QTest::newRow("argb") << int(AV_PIX_FMT_ARGB);
    QTest::newRow("abgr") << int(AV_PIX_FMT_ABGR);
    QTest::newRow("0rgb") << int(AV_PIX_FMT_0RGB);
    QTest::newRow("bgr0") << int(AV_PIX_FMT_BGR0);
}

void TestPointSampler::rgbColours()
{
    QFETCH(int, format);
    QVERIFY(PointSampler::supports(format));
    FramePtr frame = makeFrame(AVPixelFormat(format), 64, 48);
    QVERIFY(frame);
    fillRgb(frame.get(), blockColour);
    PointSampler sampler;
    const int stride = 3 * 8;
    std::vector<quint8> out(size_t(stride) * 6);
    QVERIFY(sampler.sample(frame.get(), 8, 6, out.data(), stride));
    // Packed RGB is copied, not converted: exact.
    for (int y = 0; y < 6; ++y) {
        for (int x = 0; x < 8; ++x)
            QCOMPARE(pixelAt(out, stride, x, y), blockColour(8 * x + 4, 8 * y + 4));
    }
}

void TestPointSampler::geometry_data()
{
    QTest::addColumn<int>("sourceWidth");
    QTest::addColumn<int>("sourceHeight");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::newRow("by 8: one pixel per block") << 256 << 128 << 32 << 16;
    QTest::newRow("by 4.8 (768 to 160)") << 768 << 576 << 160 << 120;
    QTest::newRow("by 2") << 320 << 240 << 160 << 120;
    QTest::newRow("not a whole factor") << 1280 << 720 << 162 << 90;
    QTest::newRow("wider than the source") << 40 << 24 << 80 << 48;
}

void TestPointSampler::geometry()
{
    QFETCH(int, sourceWidth);
    QFETCH(int, sourceHeight);
    QFETCH(int, width);
    QFETCH(int, height);
    // Each output pixel shows the source pixel at its centre: with 8x8 blocks of one colour,
    // that block's colour. 4:4:4 so that chroma has the same geometry as luma.
    FramePtr frame = makeFrame(AV_PIX_FMT_YUV444P, sourceWidth, sourceHeight);
    QVERIFY(frame);
    fillYuv(frame.get(), 0.299, 0.114, false, blockColour);
    PointSampler sampler;
    const int stride = 3 * width;
    std::vector<quint8> out(size_t(stride) * size_t(height));
    // Twice: the tables prepared for the first call serve the second.
    for (int pass = 0; pass < 2; ++pass) {
        QVERIFY(sampler.sample(frame.get(), width, height, out.data(), stride));
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x) {
                const int sx = int((2 * qint64(x) + 1) * sourceWidth / (2 * qint64(width)));
                const int sy = int((2 * qint64(y) + 1) * sourceHeight / (2 * qint64(height)));
                const Rgb expected = blockColour(sx, sy);
                const Rgb got = pixelAt(out, stride, x, y);
                for (int i = 0; i < 3; ++i)
                    QVERIFY2(std::abs(got[size_t(i)] - expected[size_t(i)]) <= 3,
                             qPrintable(QStringLiteral("pixel %1,%2").arg(x).arg(y)));
            }
        }
    }
}

void TestPointSampler::flippedPicture()
{
    // A bottom-up picture (negative line sizes, as some decoders hand out) reads top down.
    FramePtr frame = makeFrame(AV_PIX_FMT_RGB24, 64, 48);
    QVERIFY(frame);
    fillRgb(frame.get(), blockColour);
    FramePtr flipped(av_frame_alloc());
    QVERIFY(av_frame_ref(flipped.get(), frame.get()) >= 0);
    flipped->data[0] += (flipped->height - 1) * flipped->linesize[0];
    flipped->linesize[0] = -flipped->linesize[0];
    PointSampler sampler;
    std::vector<quint8> out(3 * 8 * 6);
    QVERIFY(sampler.sample(flipped.get(), 8, 6, out.data(), 3 * 8));
    for (int y = 0; y < 6; ++y) {
        for (int x = 0; x < 8; ++x)
            QCOMPARE(pixelAt(out, 3 * 8, x, y), blockColour(8 * x + 4, 47 - (8 * y + 4)));
    }
}

void TestPointSampler::refusesOtherFormats_data()
{
    QTest::addColumn<int>("format");
    QTest::newRow("10-bit YUV") << int(AV_PIX_FMT_YUV420P10LE);
    QTest::newRow("NV12 (interleaved chroma)") << int(AV_PIX_FMT_NV12);
    QTest::newRow("palette") << int(AV_PIX_FMT_PAL8);
    QTest::newRow("grey") << int(AV_PIX_FMT_GRAY8);
    QTest::newRow("planar RGB") << int(AV_PIX_FMT_GBRP);
    QTest::newRow("RGB565") << int(AV_PIX_FMT_RGB565LE);
    QTest::newRow("48-bit RGB") << int(AV_PIX_FMT_RGB48LE);
    QTest::newRow("none") << int(AV_PIX_FMT_NONE);
}

void TestPointSampler::refusesOtherFormats()
{
    QFETCH(int, format);
    QVERIFY(!PointSampler::supports(format));
    if (format == AV_PIX_FMT_NONE)
        return;
    FramePtr frame = makeFrame(AVPixelFormat(format), 32, 32);
    QVERIFY(frame);
    PointSampler sampler;
    std::vector<quint8> out(3 * 16 * 16, 7);
    QVERIFY(!sampler.sample(frame.get(), 16, 16, out.data(), 3 * 16));
    QVERIFY(std::all_of(out.begin(), out.end(), [](quint8 b) { return b == 7; }));
}

namespace {

std::atomic<int> deprecatedFormatWarnings{ 0 };

void countDeprecatedFormats(void *, int level, const char *format, va_list arguments)
{
    if (level > AV_LOG_WARNING)
        return;
    char text[512];
    std::vsnprintf(text, sizeof text, format, arguments);
    if (std::strstr(text, "deprecated pixel format"))
        ++deprecatedFormatWarnings;
}

} // namespace

void TestPointSampler::fullRangeScalerIsKept()
{
    // Pictures in the deprecated YUVJ formats (MJPEG's) kept one swscale context from one
    // keyframe or detection sample to the next only once the J was taken off: swscale swapped
    // the format itself, so the cached context never matched, was built again every time and
    // warned "deprecated pixel format used" each time.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString clip = dir.filePath(QStringLiteral("mjpeg.avi"));
    QString error;
    QVERIFY2(mmv::testing::runFfmpeg({ "-f", "lavfi", "-i", "testsrc2=s=320x240:r=10:d=0.5", "-c:v",
                                       "mjpeg", "-pix_fmt", "yuvj420p", clip },
                                     &error),
             qPrintable(error));
    FrameSource source;
    QVERIFY(!source.open(clip, FrameSourceOptions{}));
    const Result<FrameSource::Event> event = source.next();
    QVERIFY(event.ok() && event.value() == FrameSource::Event::Video);
    const Picture picture = source.picture();

    av_log_set_level(AV_LOG_WARNING);
    av_log_set_callback(countDeprecatedFormats);
    SwsContext *cache = nullptr;
    std::vector<quint8> pixels;
    Yuv420Image yuv;
    bool ok = true;
    for (int i = 0; i < 4 && ok; ++i) {
        int width = 160;
        int height = 0;
        int stride = 0;
        ok = picture.toBgr(width, height, stride, pixels, &cache)
            && picture.toYuv420(160, yuv, nullptr) && width == 160 && height == 120;
    }
    av_log_set_callback(av_log_default_callback);
    sws_freeContext(cache);
    QVERIFY(ok);
    QCOMPARE(deprecatedFormatWarnings.load(), 0);
    // Full range read as such: testsrc2's white is 255, not stretched past it or dimmed.
    QVERIFY(*std::max_element(pixels.begin(), pixels.end()) >= 250);
}

void TestPointSampler::cachedScalerIsKeptWhileItMatches()
{
    // Setting a scaler up costs more than scaling a keyframe: the same request must give the
    // same context back, any difference (size, format, flags, range, matrix) a new one. Each
    // context is marked (an option cachedScaler never sets), since a new one may well be
    // allocated where the freed one was.
    const ScalerSide limited709{ false, SWS_CS_ITU709 };
    const ScalerSide jpeg{ true, SWS_CS_DEFAULT };
    SwsContext *context = nullptr;
    int marks = 0;
    // Whether the context for this request is the one marked last; marks it anew.
    const auto kept = [&](int width, AVPixelFormat in, const ScalerSide &from, int flags,
                          AVPixelFormat out = AV_PIX_FMT_YUV420P) {
        context = cachedScaler(context, 320, 240, in, from, width, width * 3 / 4, out, jpeg, flags);
        double mark = 0;
        const bool same
            = context && av_opt_get_double(context, "param0", 0, &mark) >= 0 && mark == marks;
        av_opt_set_double(context, "param0", ++marks, 0);
        return same;
    };
    QVERIFY(!kept(160, AV_PIX_FMT_YUV420P, limited709, SWS_AREA));
    QVERIFY(kept(160, AV_PIX_FMT_YUV420P, limited709, SWS_AREA));
    QVERIFY(kept(160, AV_PIX_FMT_YUV420P, limited709, SWS_AREA));
    QVERIFY(!kept(96, AV_PIX_FMT_YUV420P, limited709, SWS_AREA));
    QVERIFY(!kept(96, AV_PIX_FMT_YUV444P, limited709, SWS_AREA));
    QVERIFY(!kept(96, AV_PIX_FMT_YUV444P, limited709, SWS_BILINEAR));
    QVERIFY(!kept(96, AV_PIX_FMT_YUV444P, ScalerSide{ true, SWS_CS_ITU709 }, SWS_BILINEAR));
    QVERIFY(!kept(96, AV_PIX_FMT_YUV444P, ScalerSide{ true, SWS_CS_BT2020 }, SWS_BILINEAR));
    QVERIFY(kept(96, AV_PIX_FMT_YUV444P, ScalerSide{ true, SWS_CS_BT2020 }, SWS_BILINEAR));
    // What swscale changes itself must not read as a change: RGB and palette pictures count as
    // full range whatever the frame said, RGB with an unused byte is read as RGBA, and some
    // conversions (odd widths, RGB to BGR) get full chroma interpolation added to the flags.
    const ScalerSide unspecified{ false };
    for (const AVPixelFormat in : { AV_PIX_FMT_RGB24, AV_PIX_FMT_BGR0, AV_PIX_FMT_PAL8,
                                    AV_PIX_FMT_GBRP, AV_PIX_FMT_YUV420P }) {
        for (const int width : { 160, 159 }) {
            const QByteArray name
                = QByteArray(av_get_pix_fmt_name(in)) + " at " + QByteArray::number(width);
            QVERIFY2(!kept(width, in, unspecified, SWS_POINT, AV_PIX_FMT_BGR24), name);
            QVERIFY2(kept(width, in, unspecified, SWS_POINT, AV_PIX_FMT_BGR24), name);
        }
    }
    sws_freeContext(context);
}

QTEST_GUILESS_MAIN(TestPointSampler)
#include "tst_pointsampler.moc"
