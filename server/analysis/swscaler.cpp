#include "swscaler.h"

extern "C" {
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <cstring>

namespace mmv::analysis {

int swsMatrix(AVColorSpace colorSpace)
{
    switch (colorSpace) {
    case AVCOL_SPC_BT709:
        return SWS_CS_ITU709;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL:
        return SWS_CS_BT2020;
    case AVCOL_SPC_SMPTE240M:
        return SWS_CS_SMPTE240M;
    case AVCOL_SPC_FCC:
        return SWS_CS_FCC;
    default:
        return SWS_CS_DEFAULT;
    }
}

LumaWeights lumaWeights(AVColorSpace colorSpace)
{
    switch (swsMatrix(colorSpace)) {
    case SWS_CS_ITU709:
        return { 0.2126, 0.0722 };
    case SWS_CS_BT2020:
        return { 0.2627, 0.0593 };
    case SWS_CS_SMPTE240M:
        return { 0.212, 0.087 };
    case SWS_CS_FCC:
        return { 0.30, 0.11 };
    default:
        return { 0.299, 0.114 };
    }
}

namespace {

bool optionIs(SwsContext *context, const char *name, int64_t expected, int64_t ignored = 0)
{
    int64_t value = 0;
    return av_opt_get_int(context, name, 0, &value) >= 0 && (value & ~ignored) == expected;
}

/// Whether the context's format option is `format`, or what swscale keeps for it: it reads the
/// RGB formats with an unused fourth byte as their alpha twins.
bool formatIs(SwsContext *context, const char *name, AVPixelFormat format)
{
    int64_t value = 0;
    if (av_opt_get_int(context, name, 0, &value) < 0)
        return false;
    switch (format) {
    case AV_PIX_FMT_RGB0:
        return value == AV_PIX_FMT_RGB0 || value == AV_PIX_FMT_RGBA;
    case AV_PIX_FMT_0RGB:
        return value == AV_PIX_FMT_0RGB || value == AV_PIX_FMT_ARGB;
    case AV_PIX_FMT_BGR0:
        return value == AV_PIX_FMT_BGR0 || value == AV_PIX_FMT_BGRA;
    case AV_PIX_FMT_0BGR:
        return value == AV_PIX_FMT_0BGR || value == AV_PIX_FMT_ABGR;
    default:
        return value == format;
    }
}

bool tableIs(const int *table, int matrix)
{
    return table && std::memcmp(table, sws_getCoefficients(matrix), 4 * sizeof(int)) == 0;
}

/// The side as swscale keeps it: RGB and palette pictures are full range whatever was asked
/// (else a cached context for them never matched).
ScalerSide effective(AVPixelFormat format, ScalerSide side)
{
    const AVPixFmtDescriptor *descriptor = av_pix_fmt_desc_get(format);
    if (descriptor && (descriptor->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL)))
        side.fullRange = true;
    return side;
}

} // namespace

SwsContext *cachedScaler(SwsContext *cached, int srcWidth, int srcHeight, AVPixelFormat srcFormat,
                         const ScalerSide &requestedSrc, int dstWidth, int dstHeight,
                         AVPixelFormat dstFormat, const ScalerSide &requestedDst, int flags)
{
    const ScalerSide src = effective(srcFormat, requestedSrc);
    const ScalerSide dst = effective(dstFormat, requestedDst);
    if (cached) {
        int *inverse = nullptr;
        int *table = nullptr;
        int srcRange = 0;
        int dstRange = 0;
        int brightness = 0;
        int contrast = 0;
        int saturation = 0;
        if (optionIs(cached, "srcw", srcWidth) && optionIs(cached, "srch", srcHeight)
            && formatIs(cached, "src_format", srcFormat) && optionIs(cached, "dstw", dstWidth)
            && optionIs(cached, "dsth", dstHeight)
            && formatIs(cached, "dst_format", dstFormat)
            // swscale adds full chroma interpolation itself for some conversions
            && optionIs(cached, "sws_flags", flags, SWS_FULL_CHR_H_INT & ~flags)
            && sws_getColorspaceDetails(cached, &inverse, &srcRange, &table, &dstRange, &brightness,
                                        &contrast, &saturation)
                >= 0
            && srcRange == int(src.fullRange) && dstRange == int(dst.fullRange)
            && tableIs(inverse, src.matrix) && tableIs(table, dst.matrix))
            return cached;
        sws_freeContext(cached);
    }
    SwsContext *context = sws_alloc_context();
    if (!context)
        return nullptr;
    const bool set = av_opt_set_int(context, "srcw", srcWidth, 0) >= 0
        && av_opt_set_int(context, "srch", srcHeight, 0) >= 0
        && av_opt_set_int(context, "src_format", srcFormat, 0) >= 0
        && av_opt_set_int(context, "dstw", dstWidth, 0) >= 0
        && av_opt_set_int(context, "dsth", dstHeight, 0) >= 0
        && av_opt_set_int(context, "dst_format", dstFormat, 0) >= 0
        && av_opt_set_int(context, "sws_flags", flags, 0) >= 0
        && av_opt_set_int(context, "src_range", src.fullRange, 0) >= 0
        && av_opt_set_int(context, "dst_range", dst.fullRange, 0) >= 0;
    if (!set || sws_init_context(context, nullptr, nullptr) < 0) {
        sws_freeContext(context);
        return nullptr;
    }
    // The matrices after initialising (swscale sets up its tables for them then); the
    // brightness, contrast and saturation are swscale's neutral values.
    if (sws_setColorspaceDetails(context, sws_getCoefficients(src.matrix), src.fullRange,
                                 sws_getCoefficients(dst.matrix), dst.fullRange, 0, 1 << 16,
                                 1 << 16)
        < 0) {
        sws_freeContext(context);
        return nullptr;
    }
    return context;
}

AVPixelFormat withoutJ(AVPixelFormat format, bool &fullRange)
{
    switch (format) {
    case AV_PIX_FMT_YUVJ420P:
        fullRange = true;
        return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P:
        fullRange = true;
        return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P:
        fullRange = true;
        return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P:
        fullRange = true;
        return AV_PIX_FMT_YUV440P;
    case AV_PIX_FMT_YUVJ411P:
        fullRange = true;
        return AV_PIX_FMT_YUV411P;
    default:
        return format;
    }
}

} // namespace mmv::analysis
