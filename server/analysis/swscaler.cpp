#include "swscaler.h"

extern "C" {
#include <libavutil/opt.h>
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

namespace {

bool optionIs(SwsContext *context, const char *name, int64_t expected)
{
    int64_t value = 0;
    return av_opt_get_int(context, name, 0, &value) >= 0 && value == expected;
}

bool tableIs(const int *table, int matrix)
{
    return table && std::memcmp(table, sws_getCoefficients(matrix), 4 * sizeof(int)) == 0;
}

} // namespace

SwsContext *cachedScaler(SwsContext *cached, int srcWidth, int srcHeight, AVPixelFormat srcFormat,
                         const ScalerSide &src, int dstWidth, int dstHeight,
                         AVPixelFormat dstFormat, const ScalerSide &dst, int flags)
{
    if (cached) {
        int *inverse = nullptr;
        int *table = nullptr;
        int srcRange = 0;
        int dstRange = 0;
        int brightness = 0;
        int contrast = 0;
        int saturation = 0;
        if (optionIs(cached, "srcw", srcWidth) && optionIs(cached, "srch", srcHeight)
            && optionIs(cached, "src_format", srcFormat) && optionIs(cached, "dstw", dstWidth)
            && optionIs(cached, "dsth", dstHeight) && optionIs(cached, "dst_format", dstFormat)
            && optionIs(cached, "sws_flags", flags)
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
    sws_setColorspaceDetails(context, sws_getCoefficients(src.matrix), src.fullRange,
                             sws_getCoefficients(dst.matrix), dst.fullRange, 0, 1 << 16, 1 << 16);
    return context;
}

} // namespace mmv::analysis
