#include "pointsampler.h"

#include "server/analysis/swscaler.h"

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
}

#include <opencv2/core/hal/intrin.hpp>

#include <algorithm>
#include <cmath>

namespace mmv::analysis {

namespace {

bool eightBitComponents(const AVPixFmtDescriptor *desc)
{
    for (int i = 0; i < 3; ++i) {
        if (desc->comp[i].depth != 8 || desc->comp[i].shift != 0)
            return false;
    }
    return true;
}

bool isPlanarYuv(const AVPixFmtDescriptor *desc)
{
    return !(desc->flags & AV_PIX_FMT_FLAG_RGB) && (desc->flags & AV_PIX_FMT_FLAG_PLANAR)
        && desc->nb_components >= 3 && desc->comp[0].plane == 0 && desc->comp[1].plane == 1
        && desc->comp[2].plane == 2 && desc->comp[0].step == 1 && desc->comp[1].step == 1
        && desc->comp[2].step == 1 && desc->log2_chroma_w <= 2 && desc->log2_chroma_h <= 2;
}

bool isPackedRgb(const AVPixFmtDescriptor *desc)
{
    const int step = desc->comp[0].step;
    return (desc->flags & AV_PIX_FMT_FLAG_RGB) && !(desc->flags & AV_PIX_FMT_FLAG_PLANAR)
        && desc->nb_components >= 3 && (step == 3 || step == 4) && desc->comp[1].step == step
        && desc->comp[2].step == step && desc->comp[0].plane == 0 && desc->comp[1].plane == 0
        && desc->comp[2].plane == 0;
}

/// YUV to RGB as multipliers of 8192 for cv::v_mul_hi on values shifted left by 6: each
/// product comes out in eighths. Derived from the matrix's Kr and Kb and the range.
struct Coefficients
{
    int yOffset = 16;
    qint16 y = 0;
    qint16 rv = 0;
    qint16 gu = 0;
    qint16 gv = 0;
    qint16 bu = 0;
};

Coefficients coefficients(const AVFrame *frame)
{
    // The matrix swscale would use for this picture (BT.601 when it says nothing).
    const auto [kr, kb] = lumaWeights(frame->colorspace);
    bool full = frame->color_range == AVCOL_RANGE_JPEG;
    withoutJ(AVPixelFormat(frame->format), full);
    const double ys = full ? 1.0 : 255.0 / 219.0;
    const double cs = full ? 1.0 : 255.0 / 224.0;
    const double kg = 1.0 - kr - kb;
    const auto q = [](double v) { return qint16(std::lround(v * 8192)); };
    Coefficients c;
    c.yOffset = full ? 0 : 16;
    c.y = q(ys);
    c.rv = q(2 * (1 - kr) * cs);
    c.gu = q(2 * (1 - kb) * kb / kg * cs);
    c.gv = q(2 * (1 - kr) * kr / kg * cs);
    c.bu = q(2 * (1 - kb) * cs);
    return c;
}

constexpr int kPrefetchRows = 2;

void prefetchRow(const quint8 *row, int bytes)
{
    for (int offset = 0; offset < bytes; offset += 64)
        __builtin_prefetch(row + offset);
}

inline int mulHi(int a, int b)
{
    return (a * b) >> 16;
}

inline quint8 toByte(int eighths)
{
    return quint8(std::clamp((eighths + 4) >> 3, 0, 255));
}

/// One row of gathered Y, U and V bytes to packed BGR.
void convertRow(const quint8 *ys, const quint8 *us, const quint8 *vs, int width,
                const Coefficients &c, quint8 *out)
{
    int x = 0;
#if CV_SIMD128
    const cv::v_int16x8 offset = cv::v_setall_s16(qint16(c.yOffset));
    const cv::v_int16x8 half = cv::v_setall_s16(128);
    const cv::v_int16x8 rounding = cv::v_setall_s16(4);
    const cv::v_int16x8 cy = cv::v_setall_s16(c.y);
    const cv::v_int16x8 crv = cv::v_setall_s16(c.rv);
    const cv::v_int16x8 cgu = cv::v_setall_s16(c.gu);
    const cv::v_int16x8 cgv = cv::v_setall_s16(c.gv);
    const cv::v_int16x8 cbu = cv::v_setall_s16(c.bu);
    const auto channels
        = [&](const cv::v_uint16x8 &y16, const cv::v_uint16x8 &u16, const cv::v_uint16x8 &v16,
              cv::v_int16x8 &b, cv::v_int16x8 &g, cv::v_int16x8 &r) {
              const cv::v_int16x8 y = cv::v_shl<6>(cv::v_reinterpret_as_s16(y16) - offset);
              const cv::v_int16x8 u = cv::v_shl<6>(cv::v_reinterpret_as_s16(u16) - half);
              const cv::v_int16x8 v = cv::v_shl<6>(cv::v_reinterpret_as_s16(v16) - half);
              const cv::v_int16x8 luma = cv::v_mul_hi(y, cy) + rounding;
              r = cv::v_shr<3>(luma + cv::v_mul_hi(v, crv));
              g = cv::v_shr<3>(luma - cv::v_mul_hi(u, cgu) - cv::v_mul_hi(v, cgv));
              b = cv::v_shr<3>(luma + cv::v_mul_hi(u, cbu));
          };
    for (; x + 16 <= width; x += 16) {
        cv::v_uint16x8 yl, yh, ul, uh, vl, vh;
        cv::v_expand(cv::v_load(ys + x), yl, yh);
        cv::v_expand(cv::v_load(us + x), ul, uh);
        cv::v_expand(cv::v_load(vs + x), vl, vh);
        cv::v_int16x8 bl, gl, rl, bh, gh, rh;
        channels(yl, ul, vl, bl, gl, rl);
        channels(yh, uh, vh, bh, gh, rh);
        cv::v_store_interleave(out + 3 * x, cv::v_pack_u(bl, bh), cv::v_pack_u(gl, gh),
                               cv::v_pack_u(rl, rh));
    }
#endif
    for (; x < width; ++x) {
        const int y = (ys[x] - c.yOffset) * 64;
        const int u = (us[x] - 128) * 64;
        const int v = (vs[x] - 128) * 64;
        const int luma = mulHi(y, c.y);
        quint8 *p = out + 3 * x;
        p[0] = toByte(luma + mulHi(u, c.bu));
        p[1] = toByte(luma - mulHi(u, c.gu) - mulHi(v, c.gv));
        p[2] = toByte(luma + mulHi(v, c.rv));
    }
}

} // namespace

bool PointSampler::supports(int pixelFormat)
{
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(AVPixelFormat(pixelFormat));
    if (!desc
        || (desc->flags
            & (AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_PAL))
        || !eightBitComponents(desc))
        return false;
    return isPlanarYuv(desc) || isPackedRgb(desc);
}

bool PointSampler::prepare(const AVFrame *frame, int width, int height)
{
    if (m_format == frame->format && m_sourceWidth == frame->width
        && m_sourceHeight == frame->height && m_width == width && m_height == height)
        return m_supported;
    m_format = frame->format;
    m_supported = supports(frame->format);
    if (!m_supported)
        return false;
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(AVPixelFormat(frame->format));
    m_rgb = isPackedRgb(desc);
    m_chromaShift = desc->log2_chroma_h;
    for (int i = 0; i < 3; ++i)
        m_offsets[i] = desc->comp[i].offset;
    m_sourceWidth = frame->width;
    m_sourceHeight = frame->height;
    m_width = width;
    m_height = height;
    // The source pixel under each output pixel's centre.
    const auto centre = [](int i, int out, int in) {
        return int(std::min<qint64>(in - 1, (2 * qint64(i) + 1) * in / (2 * qint64(out))));
    };
    const bool rgb = m_rgb;
    m_columns.resize(size_t(width));
    m_chromaColumns.resize(size_t(width));
    for (int x = 0; x < width; ++x) {
        const int sx = centre(x, width, frame->width);
        m_columns[size_t(x)] = rgb ? sx * desc->comp[0].step : sx;
        m_chromaColumns[size_t(x)] = sx >> desc->log2_chroma_w;
    }
    m_rows.resize(size_t(height));
    for (int y = 0; y < height; ++y)
        m_rows[size_t(y)] = centre(y, height, frame->height);
    m_lumaSpan = m_columns.back() + (rgb ? desc->comp[0].step : 1);
    m_chromaSpan = m_chromaColumns.back() + 1;
    m_y.resize(size_t(width));
    m_u.resize(size_t(width));
    m_v.resize(size_t(width));
    return true;
}

bool PointSampler::sample(const AVFrame *frame, int width, int height, quint8 *dst, int dstStride)
{
    if (!frame || width <= 0 || height <= 0 || frame->width <= 0 || frame->height <= 0
        || !prepare(frame, width, height))
        return false;
    if (m_rgb)
        sampleRgb(frame, dst, dstStride);
    else
        sampleYuv(frame, dst, dstStride);
    return true;
}

void PointSampler::sampleYuv(const AVFrame *frame, quint8 *dst, int dstStride)
{
    const Coefficients c = coefficients(frame);
    // Locals: the stores below are bytes, which may alias any member, so the compiler would
    // read the members back for every pixel.
    const int *columns = m_columns.data();
    const int *chromaColumns = m_chromaColumns.data();
    quint8 *gatheredY = m_y.data();
    quint8 *gatheredU = m_u.data();
    quint8 *gatheredV = m_v.data();
    const int width = m_width;
    for (int y = 0; y < m_height; ++y) {
        const int row = m_rows[size_t(y)];
        const int chromaRow = row >> m_chromaShift;
        const quint8 *ys = frame->data[0] + qptrdiff(row) * frame->linesize[0];
        const quint8 *us = frame->data[1] + qptrdiff(chromaRow) * frame->linesize[1];
        const quint8 *vs = frame->data[2] + qptrdiff(chromaRow) * frame->linesize[2];
        // The decoder wrote these rows from another core: ask for the lines of the row after
        // next while this one is gathered, so that the transfers overlap.
        if (y + kPrefetchRows < m_height) {
            const int ahead = m_rows[size_t(y + kPrefetchRows)];
            const int aheadChroma = ahead >> m_chromaShift;
            prefetchRow(frame->data[0] + qptrdiff(ahead) * frame->linesize[0], m_lumaSpan);
            prefetchRow(frame->data[1] + qptrdiff(aheadChroma) * frame->linesize[1], m_chromaSpan);
            prefetchRow(frame->data[2] + qptrdiff(aheadChroma) * frame->linesize[2], m_chromaSpan);
        }
        for (int x = 0; x < width; ++x) {
            gatheredY[x] = ys[columns[x]];
            gatheredU[x] = us[chromaColumns[x]];
            gatheredV[x] = vs[chromaColumns[x]];
        }
        convertRow(gatheredY, gatheredU, gatheredV, width, c, dst + qptrdiff(y) * dstStride);
    }
}

void PointSampler::sampleRgb(const AVFrame *frame, quint8 *dst, int dstStride)
{
    const int r = m_offsets[0];
    const int g = m_offsets[1];
    const int b = m_offsets[2];
    const int *columns = m_columns.data(); // locals, as in sampleYuv()
    const int width = m_width;
    for (int y = 0; y < m_height; ++y) {
        const quint8 *in = frame->data[0] + qptrdiff(m_rows[size_t(y)]) * frame->linesize[0];
        quint8 *out = dst + qptrdiff(y) * dstStride;
        for (int x = 0; x < width; ++x, out += 3) {
            const quint8 *p = in + columns[x];
            out[0] = p[b];
            out[1] = p[g];
            out[2] = p[r];
        }
    }
}

} // namespace mmv::analysis
